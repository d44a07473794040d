// Relay compatibility check (not part of the Apollo dashboard): the gateway's
// schema must let relay-compiler build a paginated, refetchable customer
// list. `npm run relay` compiles these documents against graph/schema.generated.graphql;
// the e2e script runs it. relay-compiler only reads the graphql`` tags, so
// this module needs no runtime.
declare function graphql(strings: TemplateStringsArray): unknown;

/** A staff member's customers as a Relay connection, with "load more". */
export const staffCustomers = graphql`
  fragment CustomerList_staff on Staff
  @refetchable(queryName: "CustomerListPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 20 }, cursor: { type: "String" }) {
    qwUserId
    name
    customers(first: $count, after: $cursor) @connection(key: "CustomerList_customers") {
      edges {
        node {
          id
          ...CustomerRow_customer
        }
      }
    }
  }
`;

/** The entry point: one owner's first page through Query.customers. */
export const ownerCustomers = graphql`
  query CustomerListQuery($ownerId: ID!, $count: Int!, $cursor: String) {
    customers(ownerId: $ownerId, first: $count, after: $cursor) @connection(key: "CustomerListQuery_customers") {
      edges {
        node {
          id
          ...CustomerRow_customer
        }
      }
    }
  }
`;
