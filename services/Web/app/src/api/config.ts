export interface ServiceUrls {
  users: string;
  content: string;
  sessions: string;
  realtime: string;
  ai: string;
  billing: string;
}

export interface AppConfig {
  services: ServiceUrls;
}

// The ports ./run.sh uses, for a page served without a host that answers /config.json.
const fallback: ServiceUrls = {
  users: 'http://localhost:5101',
  content: 'http://localhost:5102',
  sessions: 'http://localhost:5103',
  realtime: 'http://localhost:5104',
  ai: 'http://localhost:5105',
  billing: 'http://localhost:5106',
};

let loaded: AppConfig | null = null;

export async function loadConfig(): Promise<AppConfig> {
  if (loaded) {
    return loaded;
  }

  let services = { ...fallback };
  try {
    const response = await fetch('/config.json', { headers: { accept: 'application/json' } });
    if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
      const body = (await response.json()) as Partial<AppConfig>;
      services = { ...services, ...body.services };
    }
  } catch {
    // No host answered: keep the defaults.
  }

  for (const key of Object.keys(services) as (keyof ServiceUrls)[]) {
    services[key] = services[key].replace(/\/+$/, '');
  }

  loaded = { services };
  return loaded;
}

export function config(): AppConfig {
  if (!loaded) {
    throw new Error('The configuration is not loaded yet.');
  }
  return loaded;
}
