package main

import (
	"fmt"
	"strings"
)

// owners are the sandbox's staff with customers, rotated so concurrent
// clients do not all ask the same page (identical reads in flight would
// share one upstream call, flattering the numbers).
var owners = []string{"dowen", "chenjing", "wangfang", "lina", "zhangwei", "liuyang", "yangmin", "huangjie", "zhoutao",
	"wuxia", "xuqiang", "sunli", "majun", "zhuyan", "hulei", "guoping", "heming", "gaochao", "linjuan", "luogang"}

// shape is one kind of query a client sends repeatedly.
type shape struct {
	query string
	// vars returns the variables of the client's n-th query.
	vars func(client, n int) map[string]any
	// walk: the query pages through a whole list, one request per page.
	walk bool
}

// page is the page: 50 customers, 12 fields, owner, tags, stage label.
const page = `query Page($owner: ID!, $after: String) { customers(ownerId: $owner, first: 50, after: $after) { edges { node {
  id customerId name mobiles gender birthday createdAt updatedAt remark
  owner { name } tags { name } stage { label } } } pageInfo { hasNextPage endCursor } } }`

var shapes = map[string]shape{
	"page": {query: page, vars: rotate},
	"walk": {query: strings.Replace(page, "first: 50", "first: 100", 1), walk: true,
		vars: func(int, int) map[string]any { return map[string]any{"owner": "dowen"} }},
	"aliases": {query: aliases(), vars: func(int, int) map[string]any { return nil }},
	// ids: the page's upstream work (one list call, 51 customers decoded)
	// with almost no GraphQL fields, to tell per-field cost from the rest.
	"ids": {query: idsOnly, vars: rotate},
}

// rotate gives client c's n-th query the next owner in turn.
func rotate(c, n int) map[string]any { return map[string]any{"owner": owners[(c+n)%len(owners)]} }

// idsOnly is the page query reduced to the customers' ids.
const idsOnly = `query Ids($owner: ID!) { customers(ownerId: $owner, first: 50) { edges { node { id } } } }`

// aliases asks 20 owners' first pages in one query.
func aliases() string {
	var b strings.Builder
	b.WriteString("{")
	for i, o := range owners {
		fmt.Fprintf(&b, ` o%d: customers(ownerId: %q, first: 10) { edges { node { id name owner { name } tags { name } stage { label } } } }`, i, o)
	}
	b.WriteString("}")
	return b.String()
}
