import { useQuery } from '@apollo/client/react';

import { formatTime } from './mask';
import { CUSTOMER_DETAIL_QUERY } from './queries';

/** One customer, refetched by global id through `node(id)`. */
export function CustomerDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { data, loading, error } = useQuery(CUSTOMER_DETAIL_QUERY, { variables: { id } });

  const header = (
    <button type="button" className="close" onClick={onClose} aria-label="close">
      ×
    </button>
  );
  if (loading && !data) return <>{header}<p className="loading">Loading customer…</p></>;
  if (error) return <>{header}<p className="error" role="alert">Could not load the customer: {error.message}</p></>;
  const c = data?.node?.__typename === 'Customer' ? data.node : null;
  if (!c) return <>{header}<p className="error" role="alert">Customer not found.</p></>;

  return (
    <div data-testid="detail">
      {header}
      <h2>{c.name ?? '—'}</h2>
      <dl>
        <dt>Customer id</dt>
        <dd data-testid="detail-customer-id">{c.customerId}</dd>
        <dt>Mobiles</dt>
        <dd data-testid="detail-mobiles">{c.mobiles.join(', ') || '—'}</dd>
        <dt>Gender</dt>
        <dd>{c.gender ?? '—'}</dd>
        <dt>Birthday</dt>
        <dd>{c.birthday ?? '—'}</dd>
        <dt>Company</dt>
        <dd>{c.corpName ?? '—'}</dd>
        <dt>Address</dt>
        <dd>{c.address ?? '—'}</dd>
        <dt>Stage</dt>
        <dd data-testid="detail-stage">{c.stage?.label ?? '—'}</dd>
        <dt>Source</dt>
        <dd>{c.source?.label ?? '—'}</dd>
        <dt>Owner</dt>
        <dd>{c.owner?.name ?? c.owner?.qwUserId ?? '—'}</dd>
        <dt>Tags</dt>
        <dd>{c.tags.map((t) => t.name).join(', ') || '—'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(c.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(c.updatedAt)}</dd>
        <dt>Remark</dt>
        <dd>{c.remark ?? '—'}</dd>
      </dl>
      <h3>Fields</h3>
      <table className="fields">
        <tbody>
          {c.fields.map((f) => (
            <tr key={f.key}>
              <th>{f.label}</th>
              <td>
                {f.__typename === 'SelectCustomerField'
                  ? (f.option?.label ?? '—')
                  : f.__typename === 'MultiSelectCustomerField'
                    ? f.options.map((o) => o.label).join(', ') || '—'
                    : f.__typename === 'PhoneCustomerField'
                      ? f.phones.join(', ') || '—'
                      : (f.text ?? '—')}
                {f.problem && <span className="problem" title={f.problem}> ⚠</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Latest follow-ups</h3>
      {c.followUps == null ? (
        <p className="error">Follow-ups unavailable.</p>
      ) : c.followUps.edges.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul className="followups">
          {c.followUps.edges.map(({ node: f }) => (
            <li key={f.followUpId}>
              <time>{formatTime(f.createdAt)}</time> {f.author?.name ?? f.authorName ?? ''}: {f.content ?? ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
