import { Link } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { get } from '../api/client';
import type { LearnerProgress } from '../api/types';
import { ErrorAlert, Loading, percent, useAsync, useDocumentTitle } from '../components/common';

// Distinguishable on white at 3:1 or more (WCAG non-text contrast).
const palette = ['#1f5fbf', '#b3261e', '#1b7a3d', '#8a4baf', '#a35a00', '#00707a', '#5c5c5c', '#c2185b'];

const trendText: Record<string, string> = {
  new: 'New',
  improving: 'Improving',
  steady: 'Steady',
  declining: 'Declining',
};

function shortDate(value: string): string {
  return new Date(value).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

export default function ProgressPage() {
  useDocumentTitle('Progress');
  const progress = useAsync((signal) => get<LearnerProgress>('sessions', '/v1/sessions/progress/me', signal), []);

  return (
    <>
      <h1>Progress</h1>
      {progress.loading ? (
        <Loading />
      ) : progress.error ? (
        <ErrorAlert error={progress.error} />
      ) : (
        <ProgressView progress={progress.data!} />
      )}
    </>
  );
}

function ProgressView({ progress }: { progress: LearnerProgress }) {
  if (progress.reports === 0) {
    return (
      <>
        <p className="lead">Sessions assessed: 0</p>
        <p className="empty">
          No feedback yet: your progress appears here after your first assessed session. <Link to="/scenarios">Start practising</Link>.
        </p>
      </>
    );
  }

  const snapshots = progress.snapshots.map((s, i) => ({
    name: `${i + 1}. ${shortDate(s.at)}`,
    globalRating: s.globalRating,
    ...Object.fromEntries(Object.entries(s.competencies).map(([code, rate]) => [`c:${code}`, Math.round(rate * 100)])),
  }));
  // The chart shows the consultation essentials; every item, the scenarios' own included, is in the table.
  const itemBars = progress.items.filter((i) => i.kind !== 'content').map((i) => ({ name: i.title, rate: Math.round(i.rate * 100) }));
  const competencyNames = Object.fromEntries(progress.competencies.map((c) => [c.code, c.title]));

  return (
    <>
      <div className="stats">
        <p className="stat">
          <span className="stat-label">Sessions assessed: {progress.reports}</span>
        </p>
        <p className="stat">
          <span className="stat-label">Latest global rating: {progress.latestGlobalRating ?? '—'} of 5</span>
        </p>
        <p className="stat">
          <span className="stat-label">Mean global rating: {progress.meanGlobalRating?.toFixed(1) ?? '—'}</span>
        </p>
      </div>

      <section aria-labelledby="rating-chart-heading" className="chart-section">
        <h2 id="rating-chart-heading">Global rating over time</h2>
        <div className="chart" aria-hidden="true">
          <ResponsiveContainer width="100%" height={240}>
            <LineChart accessibilityLayer={false} data={snapshots} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" />
              <YAxis domain={[1, 5]} allowDecimals={false} />
              <Tooltip />
              <Line type="monotone" dataKey="globalRating" name="Global rating" stroke={palette[0]} strokeWidth={2} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </section>

      <section aria-labelledby="competency-chart-heading" className="chart-section">
        <h2 id="competency-chart-heading">Competencies over time (% of items shown)</h2>
        <div className="chart" aria-hidden="true">
          <ResponsiveContainer width="100%" height={300}>
            <LineChart accessibilityLayer={false} data={snapshots} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" />
              <YAxis domain={[0, 100]} unit="%" />
              <Tooltip />
              <Legend />
              {progress.competencies.map((c, i) => (
                <Line
                  key={c.code}
                  type="monotone"
                  dataKey={`c:${c.code}`}
                  name={c.title}
                  stroke={palette[i % palette.length]}
                  strokeWidth={2}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
        <table aria-label="Progress by competency">
          <thead>
            <tr>
              <th scope="col">Competency</th>
              <th scope="col">Rate</th>
              <th scope="col">Latest</th>
              <th scope="col">Trend</th>
            </tr>
          </thead>
          <tbody>
            {progress.competencies.map((c) => (
              <tr key={c.code}>
                <th scope="row">{c.title}</th>
                <td>{percent(c.rate)}</td>
                <td>{percent(c.latestRate)}</td>
                <td>{trendText[c.trend] ?? c.trend}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="item-chart-heading" className="chart-section">
        <h2 id="item-chart-heading">Consultation essentials (% of sessions where shown)</h2>
        <div className="chart" aria-hidden="true">
          <ResponsiveContainer width="100%" height={Math.max(240, itemBars.length * 30 + 40)}>
            <BarChart accessibilityLayer={false} data={itemBars} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" domain={[0, 100]} unit="%" />
              <YAxis type="category" dataKey="name" width={170} interval={0} tick={{ fontSize: 13 }} />
              <Tooltip />
              <Bar dataKey="rate" name="Shown in" fill={palette[0]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <div className="table-wrap">
          <table aria-label="Progress by item">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Competency</th>
                <th scope="col">Assessed</th>
                <th scope="col">Shown</th>
                <th scope="col">Rate</th>
                <th scope="col">Last session</th>
                <th scope="col">Trend</th>
              </tr>
            </thead>
            <tbody>
              {progress.items.map((i) => (
                <tr key={i.code}>
                  <th scope="row">{i.title}</th>
                  <td>{competencyNames[i.competency] ?? i.competency}</td>
                  <td>{i.assessed}</td>
                  <td>{i.present}</td>
                  <td>{percent(i.rate)}</td>
                  <td>{i.latest ? 'Present' : 'Absent'}</td>
                  <td>{trendText[i.trend] ?? i.trend}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
