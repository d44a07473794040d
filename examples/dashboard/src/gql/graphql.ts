/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What changed of a customer. */
export type CustomerChangeKind =
  /** The customer's contact details were edited. */
  | 'CONTACT_EDITED'
  /** A staff member added a new WeChat customer. */
  | 'NEW_CUSTOMER'
  /**
   * Events were coalesced or dropped under load; refetch what you show. It
   * names no customer (every other field is null), and later events follow
   * as before.
   */
  | 'RESYNC'
  /** A tag was added to or removed from the customer (`tagId` and `tagRemoved` say which). */
  | 'TAGS_CHANGED';

/** The kind of a customer field, from Tanma's type code. */
export type FieldKind =
  /** 3: a calendar date. */
  | 'DATE'
  /** 7: a date and time, China time. */
  | 'DATE_TIME'
  /** 6: multi select (several option ids). */
  | 'MULTI_SELECT'
  /** 4: a decimal number. */
  | 'NUMBER'
  /** 8: phone numbers. */
  | 'PHONE'
  /** 2: single select (one option id). */
  | 'SELECT'
  /** 1: single-line text. */
  | 'TEXT'
  /** 5: multi-line text. */
  | 'TEXTAREA'
  /** A type code this gateway does not know: the value is kept as text. */
  | 'UNKNOWN';

/** Why a field's value could not be typed. The raw value is still in `text`. */
export type FieldValueProblem =
  /** The text does not parse as the field's kind (e.g. a date that is not yyyy-MM-dd). */
  | 'MALFORMED'
  /**
   * No field definition names this field (one added after the definitions were
   * read, up to `REFERENCE_TTL` ago, or one removed while customers keep its
   * value): it is shown after the defined fields, in key order, as an
   * UNKNOWN field with type code 0 and its text as Tanma sent it, the same
   * through every entry point.
   */
  | 'UNDEFINED_FIELD'
  /** A select value is not among the definition's options (its label is null). */
  | 'UNKNOWN_OPTION'
  /** The type code is unknown to this gateway. */
  | 'UNKNOWN_TYPE'
  /**
   * Tanma sent this entry in another JSON type than its documentation gives (a
   * number or an array as `valueAsText`, or a type code as text): `text` holds
   * its JSON text, and the typed value is null.
   */
  | 'WRONG_TYPE';

/** The kind of a follow-up record. Tanma does not document its type codes: this is read from its examples. */
export type FollowUpKind =
  /** Type 1: a note a sales rep wrote. */
  | 'NOTE'
  /** Any other type code. */
  | 'OTHER'
  /** Type 2: a log line the system wrote, such as a field change. */
  | 'SYSTEM';

/** A customer's gender, from Tanma's `gender` field (not set: null). */
export type Gender =
  /** 2: female. */
  | 'FEMALE'
  /** 1: male. */
  | 'MALE'
  /** 0: other (其它). */
  | 'OTHER'
  /** Never returned: Tanma's 0 means other (`OTHER`), and a gender not set is null. */
  | 'UNKNOWN';

export type StaffPickerQueryVariables = Exact<{ [key: string]: never; }>;


export type StaffPickerQuery = { __typename: 'Query', staff: { __typename: 'StaffConnection', totalCount: number, edges: Array<{ __typename: 'StaffEdge', node: { __typename: 'Staff', id: string, qwUserId: string, name: string | null } }> } | null };

export type CustomerRowFragment = { __typename: 'Customer', id: string, customerId: string, name: string | null, mobiles: Array<string>, updatedAt: string | null, stage: { __typename: 'SelectOption', id: string, label: string | null } | null, tags: Array<{ __typename: 'Tag', id: string, name: string }>, owner: { __typename: 'Staff', id: string, qwUserId: string, name: string | null } | null };

export type CustomerTableQueryVariables = Exact<{
  ownerId: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type CustomerTableQuery = { __typename: 'Query', customers: { __typename: 'CustomerConnection', totalCount: number | null, edges: Array<{ __typename: 'CustomerEdge', cursor: string, node: { __typename: 'Customer', id: string, customerId: string, name: string | null, mobiles: Array<string>, updatedAt: string | null, stage: { __typename: 'SelectOption', id: string, label: string | null } | null, tags: Array<{ __typename: 'Tag', id: string, name: string }>, owner: { __typename: 'Staff', id: string, qwUserId: string, name: string | null } | null } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } | null };

export type CustomerChangedSubscriptionVariables = Exact<{
  ownerId: string | number;
}>;


export type CustomerChangedSubscription = { __typename: 'Subscription', customerChanged: { __typename: 'CustomerChange', kind: CustomerChangeKind, customerId: string | null, receivedAt: string, customer: { __typename: 'Customer', id: string, customerId: string, name: string | null, mobiles: Array<string>, updatedAt: string | null, stage: { __typename: 'SelectOption', id: string, label: string | null } | null, tags: Array<{ __typename: 'Tag', id: string, name: string }>, owner: { __typename: 'Staff', id: string, qwUserId: string, name: string | null } | null } | null } };

export type CustomerDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type CustomerDetailQuery = { __typename: 'Query', node:
    | { __typename: 'Customer', customerId: string, name: string | null, mobiles: Array<string>, gender: Gender | null, birthday: string | null, address: string | null, corpName: string | null, remark: string | null, createdAt: string | null, updatedAt: string | null, id: string, stage: { __typename: 'SelectOption', id: string, label: string | null } | null, source: { __typename: 'SelectOption', id: string, label: string | null } | null, owner: { __typename: 'Staff', id: string, qwUserId: string, name: string | null } | null, tags: Array<{ __typename: 'Tag', id: string, name: string }>, fields: Array<
        | { __typename: 'DateCustomerField', key: string, label: string, kind: FieldKind, text: string | null, problem: FieldValueProblem | null }
        | { __typename: 'DateTimeCustomerField', key: string, label: string, kind: FieldKind, text: string | null, problem: FieldValueProblem | null }
        | { __typename: 'MultiSelectCustomerField', key: string, label: string, kind: FieldKind, text: string | null, problem: FieldValueProblem | null, options: Array<{ __typename: 'SelectOption', id: string, label: string | null }> }
        | { __typename: 'NumberCustomerField', key: string, label: string, kind: FieldKind, text: string | null, problem: FieldValueProblem | null }
        | { __typename: 'PhoneCustomerField', phones: Array<string>, key: string, label: string, kind: FieldKind, text: string | null, problem: FieldValueProblem | null }
        | { __typename: 'SelectCustomerField', key: string, label: string, kind: FieldKind, text: string | null, problem: FieldValueProblem | null, option: { __typename: 'SelectOption', id: string, label: string | null } | null }
        | { __typename: 'TextAreaCustomerField', key: string, label: string, kind: FieldKind, text: string | null, problem: FieldValueProblem | null }
        | { __typename: 'TextCustomerField', key: string, label: string, kind: FieldKind, text: string | null, problem: FieldValueProblem | null }
        | { __typename: 'UnknownCustomerField', key: string, label: string, kind: FieldKind, text: string | null, problem: FieldValueProblem | null }
      >, followUps: { __typename: 'FollowUpConnection', edges: Array<{ __typename: 'FollowUpEdge', cursor: string, node: { __typename: 'FollowUp', followUpId: string, kind: FollowUpKind, content: string | null, createdAt: string | null, authorName: string | null, author: { __typename: 'Staff', id: string, name: string | null } | null } }> } | null }
    | { __typename: 'Staff', id: string }
    | { __typename: 'Tag', id: string }
   | null };

export const CustomerRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mobiles"}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tags"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qwUserId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CustomerRowFragment, unknown>;
export const StaffPickerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StaffPicker"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"staff"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qwUserId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<StaffPickerQuery, StaffPickerQueryVariables>;
export const CustomerTableDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerTable"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ownerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ownerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ownerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerRow"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mobiles"}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tags"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qwUserId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CustomerTableQuery, CustomerTableQueryVariables>;
export const CustomerChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CustomerChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ownerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ownerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ownerId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerRow"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mobiles"}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tags"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qwUserId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CustomerChangedSubscription, CustomerChangedSubscriptionVariables>;
export const CustomerDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mobiles"}},{"kind":"Field","name":{"kind":"Name","value":"gender"}},{"kind":"Field","name":{"kind":"Name","value":"birthday"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"corpName"}},{"kind":"Field","name":{"kind":"Name","value":"remark"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qwUserId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tags"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"problem"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SelectCustomerField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"option"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MultiSelectCustomerField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"options"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PhoneCustomerField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phones"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"followUps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"followUpId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"authorName"}},{"kind":"Field","name":{"kind":"Name","value":"author"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<CustomerDetailQuery, CustomerDetailQueryVariables>;