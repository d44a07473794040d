// A second, made-up subgraph for the composition test: orders, which
// extends the gateway's Customer (by its customerId key) with `orders`, and
// lists orders by customer, each naming its customer for the router to
// fetch from the gateway. Apollo's @apollo/subgraph builds it; node:http
// serves it. Every customer has two orders derived from its id, so any
// customer the sandbox has works.
//
//   PORT=4002 node orders.mjs
import { createServer } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  "An order (made up by this test service)."
  type Order {
    "The order id: the customer id and a number."
    id: ID!
    "The total, in fen."
    totalCents: Int!
    "PAID or SHIPPED."
    status: String!
    "Who placed it: resolved by the gateway."
    customer: Customer!
  }

  "A customer of the gateway, with its orders."
  type Customer @key(fields: "customerId") {
    "Tanma's customer id."
    customerId: String!
    "The customer's orders, oldest first."
    orders: [Order!]!
  }

  type Query {
    "The orders of these customers, in the order given."
    ordersOf(customerIds: [String!]!): [Order!]!
  }
`);

// ordersOf makes a customer's two orders from its id.
function ordersOf(customerId) {
  const seed = Number(customerId.slice(-4)) || 1;
  return [1, 2].map((n) => ({
    id: `${customerId}-${n}`,
    totalCents: seed * n,
    status: n === 1 ? 'SHIPPED' : 'PAID',
    customer: { customerId },
  }));
}

const resolvers = {
  Query: { ordersOf: (_, { customerIds }) => customerIds.flatMap(ordersOf) },
  Customer: {
    __resolveReference: ({ customerId }) => ({ customerId }),
    orders: ({ customerId }) => ordersOf(customerId),
  },
};

const schema = buildSubgraphSchema([{ typeDefs, resolvers }]);

createServer(async (req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  let out;
  try {
    const { query, variables, operationName } = JSON.parse(body);
    out = await graphql({ schema, source: query, variableValues: variables, operationName });
  } catch (err) {
    out = { errors: [{ message: String(err.message) }] };
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
}).listen(Number(process.env.PORT ?? 4002), '127.0.0.1');
