package rules

import (
	"embed"
	"strings"
)

// docFiles holds one Markdown page per rule id: the single source for
// `authlint rules ID`, SARIF help text and the README table.
//
//go:embed docs/*.md
var docFiles embed.FS

// doc returns the embedded page for id; a missing page is a programming
// error caught by TestEveryRuleHasDoc, so it returns "" rather than failing.
func doc(id string) string {
	b, err := docFiles.ReadFile("docs/" + id + ".md")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b)) + "\n"
}
