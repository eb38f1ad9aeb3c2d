import { useRef, useState, type KeyboardEvent } from 'react';
import { useAuth } from '../auth';
import { useDocumentTitle } from '../components/common';
import { AuditLog } from './AuditLog';
import { Cohorts } from './Cohorts';
import { Invitations } from './Invitations';
import { Members } from './Members';

const tabs = ['Members', 'Cohorts', 'Invitations', 'Audit log'] as const;
type Tab = (typeof tabs)[number];

export default function AdminPage() {
  useDocumentTitle('Administration');
  const { user } = useAuth();
  const [tab, setTab] = useState<Tab>('Members');
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const institutionId = user?.institution?.id;

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    let next = index;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    else return;
    event.preventDefault();
    setTab(tabs[next]);
    refs.current[next]?.focus();
  }

  if (!institutionId) {
    return (
      <>
        <h1>Administration</h1>
        <p className="empty">You are not signed in to an institution.</p>
      </>
    );
  }

  const base = `/v1/users/institutions/${institutionId}`;
  return (
    <>
      <h1>Administration</h1>
      <p className="meta">
        {user?.institution?.name} · institution join code <code>{user?.institution?.joinCode}</code>
      </p>
      <div role="tablist" aria-label="Administration" className="tabs">
        {tabs.map((t, i) => (
          <button
            key={t}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${i}`}
            aria-selected={tab === t}
            aria-controls={`panel-${i}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => setTab(t)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {t}
          </button>
        ))}
      </div>
      {tabs.map((t, i) => (
        <div key={t} role="tabpanel" id={`panel-${i}`} aria-labelledby={`tab-${i}`} hidden={tab !== t} tabIndex={0} className="tabpanel">
          {tab === t && t === 'Members' && <Members base={base} />}
          {tab === t && t === 'Cohorts' && <Cohorts base={base} />}
          {tab === t && t === 'Invitations' && <Invitations base={base} />}
          {tab === t && t === 'Audit log' && <AuditLog base={base} />}
        </div>
      ))}
    </>
  );
}
