export type Role = 'learner' | 'educator' | 'institution-admin' | 'platform-admin';

export interface InstitutionSummary {
  id: string;
  name: string;
  joinCode: string;
}

export interface UserProfile {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  institution: InstitutionSummary | null;
  cohortId: string | null;
  emailVerified: boolean;
}

export type Difficulty = 'foundation' | 'intermediate' | 'advanced';

export interface RatingSummary {
  average: number | null;
  count: number;
}

export interface ScenarioSummary {
  id: string;
  title: string;
  clinicalArea: string;
  difficulty: Difficulty;
  framework: string;
  summary: string;
  version: number;
  estimatedMinutes: number;
  setting: string;
  tags: string[];
  institutionId: string | null;
  rating: RatingSummary;
  publishedAt: string;
}

export interface ScenarioPage {
  items: ScenarioSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface NamedCode {
  code: string;
  name: string;
}

export interface RubricItemDocument {
  code: string;
  description: string;
  frameworkReference: string;
  weight: number;
}

export interface HiddenFact {
  code: string;
  fact: string;
  disclosedWhen: string;
  triggers: string[];
}

export interface ScenarioDetails {
  id: string;
  version: number;
  latestVersion: number;
  view: 'learner' | 'full';
  slug: string;
  institutionId: string | null;
  title: string;
  summary: string;
  clinicalArea: string;
  clinicalAreaName: string;
  setting: string;
  difficulty: Difficulty;
  framework: string;
  frameworkName: string;
  estimatedMinutes: number;
  learningObjectives: string[];
  tags: string[];
  persona: {
    name: string;
    age: number;
    gender: string;
    occupation: string;
    background: string;
    presentingComplaint: string;
    preferredLanguage: string;
    englishProficiency: string;
  };
  flow: { openingLine?: string; topics: { code: string; description: string }[] };
  rubric: { name: string; essentials: RubricItemDocument[]; contentItemCount: number; focusItems: string[] };
  rating: RatingSummary;
  publishedAt: string;
}

/** The scenario document (schema practiceplatform.scenario/v1); the editor changes a few members and keeps the rest. */
export interface ScenarioDocument {
  schemaVersion: string;
  slug: string;
  title: string;
  summary: string;
  clinicalArea: string;
  setting: string;
  difficulty: Difficulty;
  estimatedMinutes: number;
  framework: string;
  learningObjectives: string[];
  tags: string[];
  persona: {
    name: string;
    age: number;
    gender: string;
    occupation: string;
    background: string;
    presentingComplaint: string;
    hiddenFacts: HiddenFact[];
    [key: string]: unknown;
  };
  flow: { openingLine: string; [key: string]: unknown };
  contentItems: RubricItemDocument[];
  [key: string]: unknown;
}

export interface ScenarioDraftView {
  id: string;
  slug: string;
  institutionId: string | null;
  latestVersion: number;
  draftRevision: number;
  draftUpdatedAt: string | null;
  document: ScenarioDocument;
}

export type SessionStatus = 'active' | 'completed' | 'abandoned';

export interface StartedSession {
  id: string;
  scenarioId: string;
  scenarioVersion: number;
  mode: string;
  status: SessionStatus;
  realtimeUrl: string;
}

export interface PracticeSession {
  id: string;
  learnerId: string;
  institutionId: string | null;
  cohortId: string | null;
  scenarioId: string;
  scenarioVersion: number;
  mode: string;
  status: SessionStatus;
  startedAt: string;
  endedAt: string | null;
  lastActivityAt: string;
}

export interface PracticeSessionPage {
  items: PracticeSession[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ReportEvidence {
  turn: number;
  quote: string;
}

export interface ItemOverride {
  present: boolean;
  score: number;
  reason: string;
  by: string;
  byName: string | null;
  at: string;
}

export interface ReportItem {
  code: string;
  title: string;
  kind: string;
  competency: string;
  present: boolean;
  score: number;
  evidence: ReportEvidence[];
  missedOpportunity: { turn: number; cue: string; note: string } | null;
  suggestion: string | null;
  override: ItemOverride | null;
}

export interface FeedbackReport {
  sessionId: string;
  status: 'pending' | 'completed' | 'failed';
  scenarioId: string;
  scenarioVersion: number;
  globalRating: number | null;
  items: ReportItem[];
  strengths: string[];
  goals: string[];
  comparison: {
    previousAttempts: number;
    previousGlobalRating: number | null;
    globalRatingChange: number | null;
    nowPresent: string[];
    noLongerPresent: string[];
  } | null;
  revision: number;
  failureReason: string | null;
  completedAt: string | null;
}

export interface TranscriptTurn {
  index: number;
  speaker: 'clinician' | 'patient';
  text: string;
  at: string;
}

export interface ItemProgress {
  code: string;
  title: string;
  kind: string;
  competency: string;
  assessed: number;
  present: number;
  rate: number;
  latest: boolean | null;
  trend: string;
}

export interface CompetencyProgress {
  code: string;
  title: string;
  assessed: number;
  present: number;
  rate: number;
  latestRate: number | null;
  trend: string;
}

export interface ProgressPoint {
  at: string;
  reportId: string;
  sessionId: string;
  revision: number;
  globalRating: number;
  items: Record<string, number>;
  competencies: Record<string, number>;
}

export interface LearnerProgress {
  learnerId: string;
  reports: number;
  meanGlobalRating: number | null;
  latestGlobalRating: number | null;
  items: ItemProgress[];
  competencies: CompetencyProgress[];
  snapshots: ProgressPoint[];
}

export interface MemberSummary {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  cohortId: string | null;
  status: 'active' | 'deactivated';
  emailVerified: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface MemberPage {
  items: MemberSummary[];
  total: number;
}

export interface CohortSummary {
  id: string;
  name: string;
  joinCode: string | null;
  createdAt: string;
  members: number;
  educators: number;
}

export interface CohortEducator {
  userId: string;
  email: string;
  displayName: string;
  assignedAt: string;
}

export interface InvitationSummary {
  id: string;
  email: string;
  role: Role;
  cohortId: string | null;
  expiresAt: string;
}

export interface AuditEntry {
  id: number;
  type: string;
  outcome: 'success' | 'failure';
  actorId: string | null;
  subjectId: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  detail: string | null;
  occurredAt: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'expired';

/** An invitation as GET /v1/users/institutions/{id}/invitations lists it (never its token). */
export interface InvitationListItem {
  id: string;
  email: string;
  role: Role;
  cohortId: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  invitedBy: string;
  status: InvitationStatus;
}

export interface FlowTopic {
  code: string;
  description: string;
  examplePhrasings: string[];
}

/** "When the learner {when}, the patient becomes {patientState} and says something like {patientResponse}." */
export interface FlowBranch {
  when: string;
  patientState: string;
  patientResponse: string;
}

/** "When the learner {trigger}, the patient becomes {becomes}." */
export interface EmotionalChange {
  trigger: string;
  becomes: string;
}

export interface EmotionalState {
  initial: string;
  changes: EmotionalChange[];
}

/** The scenario document with the members the editor's persona, flow and rubric sections change spelled out. */
export type EditableScenarioDocument = ScenarioDocument & {
  persona: ScenarioDocument['persona'] & {
    history: string;
    socialHistory: string;
    familyHistory: string;
    personality: string;
    allergies: string[];
    phrases: string[];
    emotionalState: EmotionalState;
  };
  flow: ScenarioDocument['flow'] & { topics: FlowTopic[]; branches: FlowBranch[] };
};
