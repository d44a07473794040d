import { useState } from 'react';

import { CustomerDetail } from './CustomerDetail';
import { CustomerTable } from './CustomerTable';
import { StaffPicker } from './StaffPicker';
import { GRAPHQL_URL } from './endpoint';

/**
 * The dashboard: pick a staff member, page through their customers, open one
 * customer's details (refetched through `node(id)`).
 */
export function App() {
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [customerId, setCustomerId] = useState<string | null>(null);

  return (
    <div className="app">
      <header>
        <h1>客户看板 · Tanma customers</h1>
        <StaffPicker
          value={ownerId}
          onChange={(id) => {
            setOwnerId(id);
            setCustomerId(null);
          }}
        />
        <span className="endpoint" title="VITE_GRAPHQL_URL">
          {GRAPHQL_URL}
        </span>
      </header>
      <main>
        <section className="list">
          {ownerId ? (
            <CustomerTable ownerId={ownerId} selected={customerId} onSelect={setCustomerId} />
          ) : (
            <p className="hint">Pick a staff member to see their customers.</p>
          )}
        </section>
        {customerId && (
          <aside className="detail">
            <CustomerDetail id={customerId} onClose={() => setCustomerId(null)} />
          </aside>
        )}
      </main>
    </div>
  );
}
