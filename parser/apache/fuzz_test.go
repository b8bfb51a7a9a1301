package apache

import (
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

// FuzzParse checks that Parse never fails inside, that every node and
// problem has a sane position, and that CRLF line ends change nothing.
func FuzzParse(f *testing.F) {
	for _, tc := range treeCases {
		f.Add(tc.src)
	}
	for _, s := range []string{
		"<Directory /x>\n</Files>\n", "</a>\n<b\n<c>\n", "A \"b\\\"c\nD 'e\n", "# x \\\n<y>\n", "<Macro m $x>\n</Directory>\n</Macro>\n",
		bom + "<If \"a > b\"> tail\n</If>\n", "\\\n\\", "<>\n</>\n< x>\n", "X \xff\xfe \"\xc3\"\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, probs := Parse("f.conf", []byte(src), ast.KindApache)
		checkTree(t, file.Nodes, nil)
		for _, p := range probs {
			if p.Code != ast.CodeParseError || !p.Pos.IsValid() || p.Pos.File != "f.conf" || strings.HasPrefix(p.Message, "internal error") {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if strings.Contains(src, "\r") {
			return
		}
		crlf, crlfProbs := Parse("f.conf", []byte(strings.ReplaceAll(src, "\n", "\r\n")), ast.KindApache)
		if dump(crlf.Nodes) != dump(file.Nodes) || !slices.Equal(problemLines(crlfProbs), problemLines(probs)) {
			t.Fatalf("CRLF changes the result:\n%s\n%q\nvs\n%s\n%q", dump(file.Nodes), problemLines(probs), dump(crlf.Nodes), problemLines(crlfProbs))
		}
	})
}

func before(a, b ast.Pos) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Col <= b.Col)
}

func checkTree(t *testing.T, nodes []*ast.Node, parent *ast.Node) {
	t.Helper()
	for _, n := range nodes {
		if n.Parent != parent || !n.Pos.IsValid() || n.Pos.Col < 1 || !before(n.Pos, n.End) || n.Pos.File != "f.conf" {
			t.Fatalf("bad node %s at %v-%v", n.Name, n.Pos, n.End)
		}
		for _, a := range n.Args {
			if !before(n.Pos, a.Pos) || !before(a.Pos, n.End) {
				t.Fatalf("argument %q at %v outside %s %v-%v", a.Value, a.Pos, n.Name, n.Pos, n.End)
			}
		}
		if !n.Block && len(n.Children) > 0 {
			t.Fatalf("leaf %s has children", n.Name)
		}
		checkTree(t, n.Children, n)
	}
}
