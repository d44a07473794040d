package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// The report: one summary table (a row per phase), then each phase's own
// table, as Markdown so it pastes into bench/README.md.

// counts writes a tally in key order, as a table cell: "200: 12, 503: 3",
// "-" for none.
func counts[K int | string](m map[K]int) string {
	if len(m) == 0 {
		return "-"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%v: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// closeCodes writes a tally of how connections ended: a close code, "open"
// (-1: still open when the wait ended), "no close frame" (0).
func closeCodes(m map[int]int) string {
	named := map[string]int{}
	for c, k := range m {
		switch c {
		case -1:
			named["open"] += k
		case 0:
			named["no close frame"] += k
		default:
			named[fmt.Sprint(c)] += k
		}
	}
	return counts(named)
}

func table(w io.Writer, rows [][]string) {
	for i, r := range rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
		if i == 0 {
			fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(r)))
		}
	}
	fmt.Fprintln(w)
}

func mb(v float64) string { return fmt.Sprintf("%.0f", v) }

func gor(v float64) string {
	if v < 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f", v)
}

// report writes the summary and the phases' tables and returns how many
// checks failed.
func report(w io.Writer, phases []*phase, total time.Duration) int {
	rows := [][]string{{"phase", "sent", "outcomes", "5xx", "timeouts", "RSS MB before / peak / after", "VmHWM MB", "goroutines before / peak / after", "took"}}
	for _, p := range phases {
		rows = append(rows, []string{p.name, p.sent, p.outcomes, fmt.Sprint(p.fiveXX), fmt.Sprint(p.timeouts),
			fmt.Sprintf("%s / %s / %s", mb(p.before.rss), mb(p.peak.rss), mb(p.after.rss)), mb(p.peak.hwm),
			fmt.Sprintf("%s / %s / %s", gor(p.before.goroutines), gor(p.peak.goroutines), gor(p.after.goroutines)),
			p.took.Round(100 * time.Millisecond).String()})
	}
	fmt.Fprintf(w, "## Summary (whole run %v)\n\n", total.Round(time.Second))
	table(w, rows)
	for _, p := range phases {
		fmt.Fprintf(w, "## %s\n\n", p.name)
		if p.missed > 0 {
			fmt.Fprintf(w, "(%d of %d samples found /metrics unanswered within 2 s)\n\n", p.missed, p.samples)
		}
		table(w, p.detail)
	}
	failed := 0
	for _, p := range phases {
		for _, f := range p.failed {
			if failed == 0 {
				fmt.Fprintln(w, "## Failed checks")
				fmt.Fprintln(w)
			}
			failed++
			fmt.Fprintf(w, "- %s: %s\n", p.name, f)
		}
	}
	if failed == 0 {
		fmt.Fprintln(w, "No failed check: no 5xx, no timeout, no leak, no bound crossed, no subscriber ended.")
	}
	return failed
}
