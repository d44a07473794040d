/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query StaffPicker {\n    staff(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          qwUserId\n          name\n        }\n      }\n    }\n  }\n": typeof types.StaffPickerDocument,
    "\n  fragment CustomerRow on Customer {\n    id\n    customerId\n    name\n    mobiles\n    stage {\n      id\n      label\n    }\n    tags {\n      id\n      name\n    }\n    owner {\n      id\n      qwUserId\n      name\n    }\n    updatedAt\n  }\n": typeof types.CustomerRowFragmentDoc,
    "\n  query CustomerTable($ownerId: ID!, $first: Int!, $after: String) {\n    customers(ownerId: $ownerId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...CustomerRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": typeof types.CustomerTableDocument,
    "\n  subscription CustomerChanged($ownerId: ID!) {\n    customerChanged(ownerId: $ownerId) {\n      kind\n      customerId\n      receivedAt\n      customer {\n        ...CustomerRow\n      }\n    }\n  }\n": typeof types.CustomerChangedDocument,
    "\n  query CustomerDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Customer {\n        customerId\n        name\n        mobiles\n        gender\n        birthday\n        address\n        corpName\n        remark\n        createdAt\n        updatedAt\n        stage {\n          id\n          label\n        }\n        source {\n          id\n          label\n        }\n        owner {\n          id\n          qwUserId\n          name\n        }\n        tags {\n          id\n          name\n        }\n        fields {\n          key\n          label\n          kind\n          text\n          problem\n          ... on SelectCustomerField {\n            option {\n              id\n              label\n            }\n          }\n          ... on MultiSelectCustomerField {\n            options {\n              id\n              label\n            }\n          }\n          ... on PhoneCustomerField {\n            phones\n          }\n        }\n        followUps(first: 5) {\n          edges {\n            cursor\n            node {\n              followUpId\n              kind\n              content\n              createdAt\n              authorName\n              author {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.CustomerDetailDocument,
};
const documents: Documents = {
    "\n  query StaffPicker {\n    staff(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          qwUserId\n          name\n        }\n      }\n    }\n  }\n": types.StaffPickerDocument,
    "\n  fragment CustomerRow on Customer {\n    id\n    customerId\n    name\n    mobiles\n    stage {\n      id\n      label\n    }\n    tags {\n      id\n      name\n    }\n    owner {\n      id\n      qwUserId\n      name\n    }\n    updatedAt\n  }\n": types.CustomerRowFragmentDoc,
    "\n  query CustomerTable($ownerId: ID!, $first: Int!, $after: String) {\n    customers(ownerId: $ownerId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...CustomerRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": types.CustomerTableDocument,
    "\n  subscription CustomerChanged($ownerId: ID!) {\n    customerChanged(ownerId: $ownerId) {\n      kind\n      customerId\n      receivedAt\n      customer {\n        ...CustomerRow\n      }\n    }\n  }\n": types.CustomerChangedDocument,
    "\n  query CustomerDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Customer {\n        customerId\n        name\n        mobiles\n        gender\n        birthday\n        address\n        corpName\n        remark\n        createdAt\n        updatedAt\n        stage {\n          id\n          label\n        }\n        source {\n          id\n          label\n        }\n        owner {\n          id\n          qwUserId\n          name\n        }\n        tags {\n          id\n          name\n        }\n        fields {\n          key\n          label\n          kind\n          text\n          problem\n          ... on SelectCustomerField {\n            option {\n              id\n              label\n            }\n          }\n          ... on MultiSelectCustomerField {\n            options {\n              id\n              label\n            }\n          }\n          ... on PhoneCustomerField {\n            phones\n          }\n        }\n        followUps(first: 5) {\n          edges {\n            cursor\n            node {\n              followUpId\n              kind\n              content\n              createdAt\n              authorName\n              author {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.CustomerDetailDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffPicker {\n    staff(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          qwUserId\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query StaffPicker {\n    staff(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          qwUserId\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CustomerRow on Customer {\n    id\n    customerId\n    name\n    mobiles\n    stage {\n      id\n      label\n    }\n    tags {\n      id\n      name\n    }\n    owner {\n      id\n      qwUserId\n      name\n    }\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment CustomerRow on Customer {\n    id\n    customerId\n    name\n    mobiles\n    stage {\n      id\n      label\n    }\n    tags {\n      id\n      name\n    }\n    owner {\n      id\n      qwUserId\n      name\n    }\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerTable($ownerId: ID!, $first: Int!, $after: String) {\n    customers(ownerId: $ownerId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...CustomerRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query CustomerTable($ownerId: ID!, $first: Int!, $after: String) {\n    customers(ownerId: $ownerId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...CustomerRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CustomerChanged($ownerId: ID!) {\n    customerChanged(ownerId: $ownerId) {\n      kind\n      customerId\n      receivedAt\n      customer {\n        ...CustomerRow\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription CustomerChanged($ownerId: ID!) {\n    customerChanged(ownerId: $ownerId) {\n      kind\n      customerId\n      receivedAt\n      customer {\n        ...CustomerRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Customer {\n        customerId\n        name\n        mobiles\n        gender\n        birthday\n        address\n        corpName\n        remark\n        createdAt\n        updatedAt\n        stage {\n          id\n          label\n        }\n        source {\n          id\n          label\n        }\n        owner {\n          id\n          qwUserId\n          name\n        }\n        tags {\n          id\n          name\n        }\n        fields {\n          key\n          label\n          kind\n          text\n          problem\n          ... on SelectCustomerField {\n            option {\n              id\n              label\n            }\n          }\n          ... on MultiSelectCustomerField {\n            options {\n              id\n              label\n            }\n          }\n          ... on PhoneCustomerField {\n            phones\n          }\n        }\n        followUps(first: 5) {\n          edges {\n            cursor\n            node {\n              followUpId\n              kind\n              content\n              createdAt\n              authorName\n              author {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Customer {\n        customerId\n        name\n        mobiles\n        gender\n        birthday\n        address\n        corpName\n        remark\n        createdAt\n        updatedAt\n        stage {\n          id\n          label\n        }\n        source {\n          id\n          label\n        }\n        owner {\n          id\n          qwUserId\n          name\n        }\n        tags {\n          id\n          name\n        }\n        fields {\n          key\n          label\n          kind\n          text\n          problem\n          ... on SelectCustomerField {\n            option {\n              id\n              label\n            }\n          }\n          ... on MultiSelectCustomerField {\n            options {\n              id\n              label\n            }\n          }\n          ... on PhoneCustomerField {\n            phones\n          }\n        }\n        followUps(first: 5) {\n          edges {\n            cursor\n            node {\n              followUpId\n              kind\n              content\n              createdAt\n              authorName\n              author {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;