import type { Role } from '../api/types';

export const roleNames: Record<string, string> = {
  learner: 'Learner',
  educator: 'Educator',
  'institution-admin': 'Institution admin',
  'platform-admin': 'Platform admin',
};

/** The roles an institution admin may give; platform-admin is the platform's own. */
export const institutionRoles: Role[] = ['learner', 'educator', 'institution-admin'];

export interface TabProps {
  /** The institution's API base: /v1/users/institutions/{id}. */
  base: string;
}
