import { config, type ServiceUrls } from './config';

/** An API refusal, carrying the ProblemDetails text to show. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: Record<string, string[]> | undefined;

  constructor(status: number, message: string, errors?: Record<string, string[]>) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

interface ProblemDetails {
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const refreshKey = 'pp.refreshToken';
let accessToken: string | null = null;
let accessExpiresAt = 0;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

export function onSignedOut(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setTokens(tokens: TokenPair): void {
  accessToken = tokens.accessToken;
  accessExpiresAt = Date.now() + tokens.expiresIn * 1000;
  sessionStorage.setItem(refreshKey, tokens.refreshToken);
}

export function clearTokens(): void {
  accessToken = null;
  accessExpiresAt = 0;
  sessionStorage.removeItem(refreshKey);
}

export function hasRefreshToken(): boolean {
  return sessionStorage.getItem(refreshKey) !== null;
}

/** Renews the token pair once, however many callers ask at the same time: a refresh token works only once. */
export function refreshTokens(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      const refreshToken = sessionStorage.getItem(refreshKey);
      if (!refreshToken) {
        return false;
      }
      try {
        const response = await fetch(`${config().services.users}/v1/users/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
        });
        if (!response.ok) {
          clearTokens();
          listeners.forEach((listener) => listener());
          return false;
        }
        setTokens((await response.json()) as TokenPair);
        return true;
      } catch {
        return false;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** An access token with at least a minute to live (for the WebSocket, which cannot answer a 401 with a retry). */
export async function freshAccessToken(): Promise<string | null> {
  if (!accessToken || accessExpiresAt - Date.now() < 60_000) {
    await refreshTokens();
  }
  return accessToken;
}

export async function problemMessage(response: Response): Promise<ApiError> {
  let message = `The request failed (${response.status} ${response.statusText}).`;
  let errors: Record<string, string[]> | undefined;
  try {
    const problem = (await response.json()) as ProblemDetails;
    errors = problem.errors;
    const details = problem.errors ? Object.values(problem.errors).flat() : [];
    message = details.length > 0 ? details.join(' ') : (problem.detail ?? problem.title ?? message);
  } catch {
    // Not a ProblemDetails body: keep the status text.
  }
  if (response.status === 0 || response.status >= 500) {
    message ||= 'The service is unavailable. Try again shortly.';
  }
  return new ApiError(response.status, message, errors);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  anonymous?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

/** Calls a service's API; refreshes the access token once on a 401; throws ApiError with the problem's text. */
export async function request<T>(service: keyof ServiceUrls, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const url = `${config().services[service]}${path}`;
  const send = async () => {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    if (!options.anonymous && accessToken) {
      headers.authorization = `Bearer ${accessToken}`;
    }
    try {
      return await fetch(url, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        throw error;
      }
      throw new ApiError(0, `The ${service} service could not be reached. Check your connection and try again.`);
    }
  };

  if (!options.anonymous && !accessToken && hasRefreshToken()) {
    await refreshTokens();
  }

  let response = await send();
  if (response.status === 401 && !options.anonymous && (await refreshTokens())) {
    response = await send();
  }

  if (!response.ok) {
    throw await problemMessage(response);
  }

  const text = await response.text();
  const data = (text.length > 0 ? JSON.parse(text) : undefined) as T;
  return { status: response.status, data, headers: response.headers };
}

export async function get<T>(service: keyof ServiceUrls, path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>(service, path, { signal })).data;
}

export async function post<T>(service: keyof ServiceUrls, path: string, body?: unknown): Promise<T> {
  return (await request<T>(service, path, { method: 'POST', body: body ?? {} })).data;
}

export async function put<T>(service: keyof ServiceUrls, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>> {
  return request<T>(service, path, { method: 'PUT', body, headers });
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    return error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return 'Something went wrong.';
}
