// Package report renders findings for people (gcc-style text with the
// source line and a caret) and for programs (one JSON object). Every piece
// of config text it prints is made safe for a GitHub Actions log, where
// `::command` at the start of a line and `##[` anywhere are runner commands
// (see safe.go).
package report

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
	"github.com/authlint/authlint/rules"
)

// Options tune the output.
type Options struct {
	Color bool // ANSI color for severity and rule id (text only)
	// WorkDir makes absolute paths under it relative (the CLI passes the
	// current directory); "" leaves paths as they are.
	WorkDir string
	// Source returns a file's content, for the line under a finding; nil,
	// or a nil result, prints no snippet.
	Source func(path string) []byte
}

// FileEntry is one linted file, listed in the JSON output.
type FileEntry struct {
	Path string
	Kind ast.Kind
}

// Sort orders findings by file, line, column and rule id; findings equal in
// all four keep their order.
func Sort(findings []rules.Finding) {
	slices.SortStableFunc(findings, func(a, b rules.Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Rule, b.Rule),
		)
	})
}

// Summary counts findings by severity: "no findings", "1 finding (1
// error)", "4 findings (1 error, 2 warnings, 1 info)".
func Summary(findings []rules.Finding) string {
	if len(findings) == 0 {
		return "no findings"
	}
	counts := map[rules.Severity]int{}
	for i := range findings {
		counts[findings[i].Severity]++
	}
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	add(counts[rules.Error], "error", "errors")
	add(counts[rules.Warning], "warning", "warnings")
	add(counts[rules.Info], "info", "info")
	other := len(findings) - counts[rules.Error] - counts[rules.Warning] - counts[rules.Info]
	add(other, "of unknown severity", "of unknown severity")
	noun := "findings"
	if len(findings) == 1 {
		noun = "finding"
	}
	return fmt.Sprintf("%d %s (%s)", len(findings), noun, strings.Join(parts, ", "))
}

// DisplayPath is the path as output shows it: relative to WorkDir when
// under it, with forward slashes.
func (o Options) DisplayPath(path string) string { return o.displayPath(path) }

// displayPath makes an absolute path under opts.WorkDir relative to it and
// uses forward slashes, as the design asks of every path in output.
func (o Options) displayPath(path string) string {
	if o.WorkDir != "" && !filepath.IsAbs(path) && !strings.HasPrefix(path, "<") {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
	}
	if o.WorkDir != "" && filepath.IsAbs(path) {
		if wd, err := filepath.Abs(o.WorkDir); err == nil {
			if rel, err := filepath.Rel(wd, path); err == nil && rel != ".." &&
				!strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				path = rel
			}
		}
	}
	return filepath.ToSlash(path)
}

// endOf returns the inclusive end of a finding, the start when unknown.
func endOf(f *rules.Finding) ast.Pos {
	if f.End.IsValid() {
		return f.End
	}
	return f.Pos
}
