// One row of the Relay customer list; refetchable by its global id through
// Query.node (see CustomerList.ts).
declare function graphql(strings: TemplateStringsArray): unknown;

export const customerRow = graphql`
  fragment CustomerRow_customer on Customer @refetchable(queryName: "CustomerRowRefetchQuery") {
    id
    customerId
    name
    mobiles
    stage {
      label
    }
    tags {
      id
      name
    }
    owner {
      id
      name
    }
    updatedAt
  }
`;
