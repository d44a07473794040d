package main

import (
	"github.com/tanma-gql/gateway/bench/queries"
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
	// incremental: the client accepts multipart/mixed, as Apollo Client
	// does, so deferred fields come in later parts.
	incremental bool
}

var shapes = map[string]shape{
	// dashboard: README's dashboard page of 50 customers, every typed
	// field, without follow-ups.
	"dashboard": {query: queries.Dashboard, vars: rotate},
	// followups: README's dashboard query with its follow-ups line (one
	// follow-up call per customer not read in the last 30 s).
	"followups": {query: queries.DashboardFollowUps, vars: rotate},
	// deferred: followups with the follow-ups deferred, from a client that
	// accepts multipart/mixed: the rows in the first part, the follow-ups
	// in later ones.
	"deferred": {query: queries.DashboardDeferredFollowUps, vars: rotate, incremental: true},
	// fields: the page with only the customers' typed fields.
	"fields": {query: queries.Fields, vars: rotate},
	// typed: the page an outside comparison with GraphQL Mesh measured.
	"typed": {query: queries.Typed, vars: rotate},
	// ids: the page's upstream work (one list call, 51 customers decoded)
	// with almost no GraphQL fields, to tell per-field cost from the rest.
	"ids": {query: queries.IDs, vars: rotate},
	// walk: every page of the largest owner, 50 at a time, with typed fields.
	"walk": {query: queries.Dashboard, walk: true,
		vars: func(int, int) map[string]any { return map[string]any{"owner": "dowen"} }},
	// aliases: 20 owners' first 50 customers with typed fields in one query.
	"aliases": {query: queries.AliasedFields(owners), vars: func(int, int) map[string]any { return nil }},
}

// rotate gives client c's n-th query the next owner in turn.
func rotate(c, n int) map[string]any { return map[string]any{"owner": owners[(c+n)%len(owners)]} }
