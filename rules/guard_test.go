package rules

import (
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

func TestRunGuardedKeepsTheRunGoing(t *testing.T) {
	r := &Rule{ID: "x-panics", Severity: Error, Run: func(*Pass) { panic("boom") }}
	p := &Pass{Configs: []*ast.Config{{Entry: "a.conf"}}, rule: r}
	runGuarded(p)
	if len(p.findings) != 1 || p.findings[0].Severity != Info || !strings.Contains(p.findings[0].Message, InternalError+"x-panics") || p.findings[0].Pos.File != "a.conf" {
		t.Fatalf("findings %+v", p.findings)
	}
}
