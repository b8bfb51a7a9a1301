package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/authlint/authlint/rules"
)

// maxAnnotationsPerLevel is GitHub's limit of annotations per step and
// level; more are dropped without notice, so authlint prints the most
// severe first, at most this many of each level, and says how many it left
// out (conventions.md §1).
const maxAnnotationsPerLevel = 10

// escapeData escapes a workflow command message exactly as
// actions/toolkit's escapeData does: % first, then CR and LF.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property value as the toolkit's escapeProperty:
// also ':' and ',', which would end the property list or the property.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func annotationLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	default:
		return "notice"
	}
}

// GitHub writes findings as workflow commands (`::error file=...::msg`),
// most severe first and at most ten per level, then a notice with the
// number left out. When summary is not nil (GITHUB_STEP_SUMMARY is set) a
// Markdown table of every finding is appended to it.
func GitHub(w io.Writer, findings []rules.Finding, opts Options, summary io.Writer) error {
	ordered := append([]rules.Finding(nil), findings...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Severity > ordered[j].Severity })
	shown := map[string]int{}
	left := 0
	for i := range ordered {
		f := &ordered[i]
		level := annotationLevel(f.Severity)
		if shown[level] == maxAnnotationsPerLevel {
			left++
			continue
		}
		shown[level]++
		if _, err := io.WriteString(w, annotation(level, f, opts)+"\n"); err != nil {
			return err
		}
	}
	if left > 0 {
		msg := fmt.Sprintf("authlint: %d more findings are not shown as annotations (GitHub shows at most %d per level); see the step summary or use --format sarif", left, maxAnnotationsPerLevel)
		if _, err := io.WriteString(w, "::notice title=authlint::"+escapeData(msg)+"\n"); err != nil {
			return err
		}
	}
	if summary != nil {
		return stepSummary(summary, findings, opts)
	}
	return nil
}

// annotation renders one workflow command. Columns are given only for a
// one-line span (the runner drops them otherwise), and empty properties
// are left out, never written as `line=`.
func annotation(level string, f *rules.Finding, opts Options) string {
	props := []string{"file=" + escapeProperty(opts.displayPath(f.Pos.File))}
	end := endOf(f)
	if f.Pos.Line > 0 {
		props = append(props, "line="+strconv.Itoa(f.Pos.Line), "endLine="+strconv.Itoa(max(end.Line, f.Pos.Line)))
		if f.Pos.Col > 0 && end.Line == f.Pos.Line {
			props = append(props, "col="+strconv.Itoa(f.Pos.Col), "endColumn="+strconv.Itoa(max(end.Col, f.Pos.Col)))
		}
	}
	props = append(props, "title="+escapeProperty("authlint ("+f.Rule+")"))
	msg := f.Message
	if f.Hint != "" {
		msg += "\nFix: " + f.Hint
	}
	// `##[` is broken as in text output: the legacy command syntax matches
	// it anywhere in a line.
	msg = strings.ReplaceAll(msg, "##[", "#"+zwj+"#[")
	return "::" + level + " " + strings.Join(props, ",") + "::" + escapeData(msg)
}

// stepSummary appends a Markdown table of every finding.
func stepSummary(w io.Writer, findings []rules.Finding, opts Options) error {
	var b strings.Builder
	b.WriteString("## authlint\n\n")
	if len(findings) == 0 {
		b.WriteString("No findings.\n")
	} else {
		b.WriteString(Summary(findings) + "\n\n| severity | rule | location | message |\n|---|---|---|---|\n")
		for i := range findings {
			f := &findings[i]
			loc := opts.displayPath(f.Pos.File)
			if f.Pos.Line > 0 {
				loc += ":" + strconv.Itoa(f.Pos.Line)
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", f.Severity, f.Rule, cell(loc), cell(f.Message))
		}
	}
	_, err := io.WriteString(w, b.String()+"\n")
	return err
}

// cell keeps a table cell on one line and its pipes literal.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r", " ", "\n", " ").Replace(s)
}
