import { graphql } from './gql';

/** Page size of the customers table (the gateway's default `first`). */
export const PAGE_SIZE = 20;

export const STAFF_QUERY = graphql(`
  query StaffPicker {
    staff(first: 100) {
      totalCount
      edges {
        node {
          id
          qwUserId
          name
        }
      }
    }
  }
`);

/** What a row of the customers table shows. */
export const CUSTOMER_ROW = graphql(`
  fragment CustomerRow on Customer {
    id
    customerId
    name
    mobiles
    stage {
      id
      label
    }
    tags {
      id
      name
    }
    owner {
      id
      qwUserId
      name
    }
    updatedAt
  }
`);

export const CUSTOMERS_QUERY = graphql(`
  query CustomerTable($ownerId: ID!, $first: Int!, $after: String) {
    customers(ownerId: $ownerId, first: $first, after: $after) {
      edges {
        cursor
        node {
          ...CustomerRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`);

/**
 * Changes to one staff member's customers as Tanma pushes them. Each event
 * carries the customer as it is now, selected as a row is: Apollo's cache
 * stores it under its id, so the row that shows it re-renders in place.
 */
export const CUSTOMER_CHANGED_SUBSCRIPTION = graphql(`
  subscription CustomerChanged($ownerId: ID!) {
    customerChanged(ownerId: $ownerId) {
      kind
      customerId
      receivedAt
      customer {
        ...CustomerRow
      }
    }
  }
`);

export const CUSTOMER_DETAIL_QUERY = graphql(`
  query CustomerDetail($id: ID!) {
    node(id: $id) {
      id
      ... on Customer {
        customerId
        name
        mobiles
        gender
        birthday
        address
        corpName
        remark
        createdAt
        updatedAt
        stage {
          id
          label
        }
        source {
          id
          label
        }
        owner {
          id
          qwUserId
          name
        }
        tags {
          id
          name
        }
        fields {
          key
          label
          kind
          text
          problem
          ... on SelectCustomerField {
            option {
              id
              label
            }
          }
          ... on MultiSelectCustomerField {
            options {
              id
              label
            }
          }
          ... on PhoneCustomerField {
            phones
          }
        }
        followUps(first: 5) {
          edges {
            cursor
            node {
              followUpId
              kind
              content
              createdAt
              authorName
              author {
                id
                name
              }
            }
          }
        }
      }
    }
  }
`);
