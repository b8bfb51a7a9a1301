package report

import (
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/authlint/authlint/parser/ast"
	"github.com/authlint/authlint/rules"
)

// ANSI styles; used only with Options.Color, and never inside config text.
const (
	styleError   = "\x1b[1;31m"
	styleWarning = "\x1b[33m"
	styleInfo    = "\x1b[36m"
	styleDim     = "\x1b[2m"
	styleReset   = "\x1b[0m"
)

// Text writes findings in the order given (call Sort first), gcc style:
//
//	conf/site.conf:12:5: error: GET /admin is served without auth [location-no-auth]
//	  12 |     location /admin {
//	     |     ^^^^^^^^
//	  hint: add auth_basic or allow/deny to the location
//	    conf/site.conf:3:1: auth is set here
//
// The snippet appears when Options.Source returns the file; the caret spans
// to End when End is on the same line. Positions without a column print
// `file:line` and no caret; without a line, just the file.
func Text(w io.Writer, findings []rules.Finding, opts Options) error {
	t := &textWriter{opts: opts, sources: map[string][]string{}}
	for i := range findings {
		t.finding(&findings[i])
	}
	_, err := io.WriteString(w, t.b.String())
	return err
}

type textWriter struct {
	opts    Options
	sources map[string][]string // file -> lines, nil when unavailable
	b       strings.Builder
}

func (t *textWriter) line(s string) {
	t.b.WriteString(safeLine(s))
	t.b.WriteByte('\n')
}

func (t *textWriter) finding(f *rules.Finding) {
	head := ""
	if loc := t.location(f.Pos); loc != "" {
		head = loc + ": "
	}
	head += t.style(severityStyle(f.Severity), f.Severity.String()) + ": " + cleanField(f.Message)
	if f.Rule != "" {
		head += " " + t.style(styleDim, "["+cleanField(f.Rule)+"]")
	}
	t.line(head)
	t.snippet(f)
	if f.Hint != "" {
		t.line("  hint: " + cleanField(f.Hint))
	}
	for _, r := range f.Related {
		loc := t.location(r.Pos)
		if loc != "" {
			loc += ": "
		}
		t.line("    " + loc + cleanField(r.Message))
	}
}

// location renders file:line:col, file:line or file.
func (t *textWriter) location(p ast.Pos) string {
	path := cleanField(t.opts.displayPath(p.File))
	switch {
	case !p.IsValid():
		return path
	case p.Col > 0:
		return path + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
	default:
		return path + ":" + strconv.Itoa(p.Line)
	}
}

// snippet prints the source line and, when there is a column, the caret.
func (t *textWriter) snippet(f *rules.Finding) {
	src, ok := t.sourceLine(f.Pos)
	if !ok {
		return
	}
	num := strconv.Itoa(f.Pos.Line)
	t.line(strings.TrimRight("  "+num+" | "+src, " "))
	if f.Pos.Col <= 0 {
		return
	}
	runes := []rune(src)
	// A column past the end of the line (the newline, or a bad position)
	// puts the caret just after the last character.
	col := min(f.Pos.Col, len(runes)+1)
	var pad strings.Builder
	for i := range col - 1 {
		// Keep tabs so the caret lines up however wide the terminal draws them.
		if i < len(runes) && runes[i] == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	width := 1
	if end := endOf(f); end.Line == f.Pos.Line && end.Col > f.Pos.Col {
		width = end.Col - f.Pos.Col + 1
	}
	width = max(1, min(width, len(runes)-(col-1)))
	t.line("  " + strings.Repeat(" ", len(num)) + " | " + pad.String() + strings.Repeat("^", width))
}

// sourceLine returns the finding's line, cleaned of control characters
// (each replaced by one rune so columns still count right).
func (t *textWriter) sourceLine(p ast.Pos) (string, bool) {
	if t.opts.Source == nil || !p.IsValid() {
		return "", false
	}
	lines, seen := t.sources[p.File]
	if !seen {
		if data := t.opts.Source(p.File); data != nil {
			lines = strings.Split(string(data), "\n")
		}
		t.sources[p.File] = lines
	}
	if p.Line > len(lines) {
		return "", false
	}
	src := strings.TrimSuffix(lines[p.Line-1], "\r")
	return strings.Map(func(r rune) rune {
		if r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return unicode.ReplacementChar
	}, src), true
}

func severityStyle(s rules.Severity) string {
	switch s {
	case rules.Error:
		return styleError
	case rules.Warning:
		return styleWarning
	case rules.Info:
		return styleInfo
	default:
		return ""
	}
}

func (t *textWriter) style(style, s string) string {
	if !t.opts.Color || style == "" {
		return s
	}
	return style + s + styleReset
}
