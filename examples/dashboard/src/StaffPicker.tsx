import { useQuery } from '@apollo/client/react';

import { STAFF_QUERY } from './queries';

/** A select of the staff directory; the value is a staff member's qwUserId. */
export function StaffPicker({ value, onChange }: { value: string | null; onChange: (qwUserId: string) => void }) {
  const { data, loading, error } = useQuery(STAFF_QUERY);
  if (error) return <span className="error" role="alert">Staff directory unavailable: {error.message}</span>;
  return (
    <label className="picker">
      Staff{' '}
      <select
        aria-label="staff member"
        value={value ?? ''}
        disabled={loading}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="" disabled>
          {loading ? 'Loading…' : `Choose one of ${data?.staff?.totalCount ?? 0}`}
        </option>
        {data?.staff?.edges.map(({ node }) => (
          <option key={node.id} value={node.qwUserId}>
            {node.name ?? node.qwUserId} ({node.qwUserId})
          </option>
        ))}
      </select>
    </label>
  );
}
