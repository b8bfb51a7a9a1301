package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/authlint/authlint/rules"
)

// jsonVersion is bumped when the shape of the JSON output changes.
const jsonVersion = 1

type jsonDoc struct {
	Version  int           `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Files    []jsonFile    `json:"files"`
}

type jsonFinding struct {
	Rule      string        `json:"rule"`
	Severity  string        `json:"severity"`
	File      string        `json:"file"`
	Line      int           `json:"line"`
	Column    int           `json:"column"`
	EndLine   int           `json:"endLine"`
	EndColumn int           `json:"endColumn"`
	Message   string        `json:"message"`
	Hint      string        `json:"hint"`
	Related   []jsonRelated `json:"related"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonFile struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
}

// JSON writes one object: {"version": 1, "findings": [...], "files":
// [...]}. Arrays are never null; a position without a column has column 0;
// endLine/endColumn repeat line/column when the end is unknown.
//
// `##[` inside a string is written as `#\u0023[`: the same string to any
// JSON reader, but not a runner command when the output is printed in a
// GitHub Actions log. JSON lines never start with `::` (they start with
// blanks, a quote or a bracket).
func JSON(w io.Writer, findings []rules.Finding, files []FileEntry, opts Options) error {
	doc := jsonDoc{Version: jsonVersion, Findings: []jsonFinding{}, Files: []jsonFile{}}
	for i := range findings {
		f := &findings[i]
		end := endOf(f)
		jf := jsonFinding{
			Rule:      f.Rule,
			Severity:  f.Severity.String(),
			File:      opts.displayPath(f.Pos.File),
			Line:      f.Pos.Line,
			Column:    f.Pos.Col,
			EndLine:   end.Line,
			EndColumn: end.Col,
			Message:   f.Message,
			Hint:      f.Hint,
			Related:   []jsonRelated{},
		}
		for _, r := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{
				File: opts.displayPath(r.Pos.File), Line: r.Pos.Line, Column: r.Pos.Col, Message: r.Message,
			})
		}
		doc.Findings = append(doc.Findings, jf)
	}
	for _, f := range files {
		doc.Files = append(doc.Files, jsonFile{Path: opts.displayPath(f.Path), Kind: string(f.Kind)})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <Directory> readable; nothing here is HTML
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(bytes.ReplaceAll(buf.Bytes(), []byte("##["), []byte(`#\u0023[`)))
	return err
}
