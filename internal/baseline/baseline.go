// Package baseline records the findings a repository has accepted so that
// later runs report only new ones. A finding is identified by its rule,
// its file and the text of the directive it is reported at, whitespace
// folded, not by its line number: adding lines above it does not make it
// new, editing the directive does.
package baseline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"sort"
	"strings"

	"github.com/authlint/authlint/rules"
)

// version is written into the file and checked when reading it.
const version = 1

// Entry is one accepted finding.
type Entry struct {
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Fingerprint string `json:"fingerprint"`
}

type document struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Keyer gives, for a finding, the path to record (relative to the
// repository) and the source text of the line it is reported at.
type Keyer struct {
	Path   func(file string) string
	Source func(file string) []byte
}

// Entry computes the baseline entry of a finding.
func (k Keyer) Entry(f *rules.Finding) Entry {
	path := k.Path(f.Pos.File)
	text := f.Message // a finding about a whole file has no directive
	if f.Pos.Line > 0 {
		if line, ok := lineOf(k.Source(f.Pos.File), f.Pos.Line); ok {
			text = line
		}
	}
	sum := sha256.Sum256([]byte(f.Rule + "\x00" + path + "\x00" + strings.Join(strings.Fields(text), " ")))
	return Entry{Rule: f.Rule, File: path, Fingerprint: hex.EncodeToString(sum[:16])}
}

func lineOf(src []byte, n int) (string, bool) {
	lines := bytes.Split(src, []byte("\n"))
	if n < 1 || n > len(lines) {
		return "", false
	}
	return string(bytes.TrimRight(lines[n-1], "\r")), true
}

// Write records the findings in path.
func Write(path string, findings []rules.Finding, k Keyer) error {
	doc := document{Version: version, Findings: []Entry{}}
	for i := range findings {
		doc.Findings = append(doc.Findings, k.Entry(&findings[i]))
	}
	sort.Slice(doc.Findings, func(i, j int) bool {
		a, b := doc.Findings[i], doc.Findings[j]
		return a.File+a.Rule+a.Fingerprint < b.File+b.Rule+b.Fingerprint
	})
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644) //nolint:gosec // a baseline is meant to be committed and read by others
}

// Baseline is a loaded baseline file.
type Baseline struct {
	counts map[Entry]int
}

// Read loads a baseline file.
func Read(path string) (*Baseline, error) {
	data, err := os.ReadFile(path) //nolint:gosec // the user names the baseline file
	if err != nil {
		return nil, err
	}
	var doc document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not an authlint baseline: %w", path, err)
	}
	if doc.Version != version {
		return nil, fmt.Errorf("%s: baseline version %d, this authlint reads version %d", path, doc.Version, version)
	}
	b := &Baseline{counts: map[Entry]int{}}
	for _, e := range doc.Findings {
		b.counts[e]++
	}
	return b, nil
}

// New returns the findings that the baseline does not account for. Each
// entry accounts for one finding, so a second copy of a known problem is
// new.
func (b *Baseline) New(findings []rules.Finding, k Keyer) []rules.Finding {
	left := maps.Clone(b.counts)
	var out []rules.Finding
	for i := range findings {
		e := k.Entry(&findings[i])
		if left[e] > 0 {
			left[e]--
			continue
		}
		out = append(out, findings[i])
	}
	return out
}
