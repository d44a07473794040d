import { useEffect, useRef, useState } from 'react';
import { useQuery, useSubscription } from '@apollo/client/react';

import { formatTime, maskMobile } from './mask';
import { CUSTOMER_CHANGED_SUBSCRIPTION, CUSTOMERS_QUERY, PAGE_SIZE } from './queries';

interface Props {
  ownerId: string;
  selected: string | null;
  onSelect: (id: string) => void;
}

/**
 * One staff member's customers as a table. Pages come from the Relay
 * connection: "Load more" (or scrolling to the bottom) calls fetchMore with
 * the last endCursor, and relayStylePagination appends the edges.
 *
 * The table is live: it subscribes to customerChanged for the owner, and each
 * event's customer lands in Apollo's cache under its id, so a row changed in
 * Tanma (or by another client) updates in place. A new customer is not in
 * any loaded page; the status line offers to reload the list. A RESYNC (a
 * bulk change in Tanma: events were coalesced or dropped, and it names no
 * customer) means what is shown may be stale: every active query (the list,
 * the open customer) is refetched at once, and the subscription goes on.
 */
export function CustomerTable({ ownerId, selected, onSelect }: Props) {
  const { data, loading, error, fetchMore, refetch } = useQuery(CUSTOMERS_QUERY, {
    variables: { ownerId, first: PAGE_SIZE },
    notifyOnNetworkStatusChange: true,
  });
  const [newCustomers, setNewCustomers] = useState(0);
  const live = useSubscription(CUSTOMER_CHANGED_SUBSCRIPTION, {
    variables: { ownerId },
    onData: ({ client, data: { data: change } }) => {
      switch (change?.customerChanged.kind) {
        case 'NEW_CUSTOMER':
          setNewCustomers((n) => n + 1);
          break;
        case 'RESYNC':
          // The refetch shows every change made before it, new customers
          // included.
          setNewCustomers(0);
          void client.refetchQueries({ include: 'active' });
          break;
      }
    },
  });
  const [moreError, setMoreError] = useState<string | null>(null);
  const [fetching, setFetching] = useState(false);
  const sentinel = useRef<HTMLDivElement>(null);

  const conn = data?.customers;
  const hasNext = conn?.pageInfo.hasNextPage ?? false;

  const loadMore = async () => {
    if (!conn || !hasNext || fetching) return;
    setFetching(true);
    setMoreError(null);
    try {
      await fetchMore({ variables: { after: conn.pageInfo.endCursor } });
    } catch (e) {
      setMoreError(e instanceof Error ? e.message : String(e));
    } finally {
      setFetching(false);
    }
  };

  // Infinite scroll: the sentinel under the table asks for the next page
  // when it scrolls into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNext) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    });
    io.observe(el);
    return () => io.disconnect();
  });

  if (error && !conn) return <p className="error" role="alert">Could not load customers: {error.message}</p>;
  if (!conn) return <p className="loading">Loading customers…</p>;

  return (
    <>
      <p className="count" data-testid="count">
        {conn.edges.length} of {conn.totalCount ?? '?'} customers
      </p>
      <p className="live" data-testid="live" role="status">
        {live.error ? (
          <span className="error">Live updates stopped: {live.error.message}</span>
        ) : live.data ? (
          <>
            Live · last change {formatTime(live.data.customerChanged.receivedAt)} (
            {live.data.customerChanged.kind === 'RESYNC'
              ? 'many changes at once: reloaded'
              : live.data.customerChanged.kind.toLowerCase().replace('_', ' ')}
            )
          </>
        ) : (
          'Live · waiting for changes'
        )}
        {newCustomers > 0 && (
          <button
            type="button"
            onClick={() => {
              setNewCustomers(0);
              void refetch();
            }}
          >
            {newCustomers} new {newCustomers === 1 ? 'customer' : 'customers'}: reload the list
          </button>
        )}
      </p>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Mobile</th>
            <th>Stage</th>
            <th>Tags</th>
            <th>Owner</th>
            <th>Last update</th>
          </tr>
        </thead>
        <tbody>
          {conn.edges.map(({ node }) => (
            <tr
              key={node.id}
              data-customer-id={node.customerId}
              className={node.id === selected ? 'selected' : undefined}
              onClick={() => onSelect(node.id)}
            >
              <td className="name">{node.name ?? '—'}</td>
              <td className="mobile">{node.mobiles.map(maskMobile).join(', ') || '—'}</td>
              <td className="stage">{node.stage?.label ?? '—'}</td>
              <td className="tags">
                {node.tags.map((t) => (
                  <span key={t.id} className="tag">
                    {t.name}
                  </span>
                ))}
              </td>
              <td className="owner">{node.owner?.name ?? node.owner?.qwUserId ?? '—'}</td>
              <td className="updated">{formatTime(node.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div ref={sentinel} className="more">
        {moreError && (
          <p className="error" role="alert">
            Could not load more: {moreError}
          </p>
        )}
        {hasNext ? (
          <button type="button" onClick={() => void loadMore()} disabled={fetching || loading}>
            {fetching ? 'Loading…' : 'Load more'}
          </button>
        ) : (
          <span className="end">All customers shown.</span>
        )}
      </div>
    </>
  );
}
