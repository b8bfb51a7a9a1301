package nginx

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// genConfig writes a random configuration that nginx accepts (known
// directives, valid argument counts) with lexical variety: quotes,
// escapes, ${var}, comments, CRLF, odd spacing.
type genConfig struct {
	r *rand.Rand
	b strings.Builder
	n int
}

func (g *genConfig) space() string {
	return []string{" ", " ", "  ", "\t", " \r\n  ", "\n    "}[g.r.IntN(6)]
}

func (g *genConfig) nl() string {
	return []string{"\n", "\r\n", "\n\n", " # note {;}\"'\n", "\t# \\ trailing\r\n"}[g.r.IntN(5)]
}

func (g *genConfig) arg() string {
	words := []string{
		"plain", "a#b", "$host", "${host}x", "b}c", "x\\ y", "semi\\;colon", "don't", "a\"b",
		"\"double quoted\"", "\"with ; and { }\"", "\"esc \\\" quote\"", "\"back\\\\\"",
		"'single \"q\"'", "'it\\'s'", "\"\"", "''", "\"multi\nline\"", "\"ünï\"", "`tick`",
	}
	if g.r.IntN(30) == 0 {
		// Around nginx's 4096-byte buffer: "too long parameter".
		long := strings.Repeat("L", 4060+g.r.IntN(60))
		return []string{long, "\"" + long + "\"", "'" + long + "'"}[g.r.IntN(3)]
	}
	return words[g.r.IntN(len(words))]
}

func (g *genConfig) directive(depth int) {
	g.n++
	indent := strings.Repeat("    ", depth)
	switch g.r.IntN(6) {
	case 0:
		fmt.Fprintf(&g.b, "%sset%s$v%d%s%s;%s", indent, g.space(), g.n, g.space(), g.arg(), g.nl())
	case 1:
		fmt.Fprintf(&g.b, "%sadd_header%sX-H%d%s%s%salways;%s", indent, g.space(), g.n, g.space(), g.arg(), g.space(), g.nl())
	case 2:
		fmt.Fprintf(&g.b, "%sif%s($http_x%d = %s)%s{%sreturn 403;%s}%s", indent, g.space(), g.n, g.arg(), g.space(), g.space(), g.space(), g.nl())
	case 3:
		if depth < 4 {
			fmt.Fprintf(&g.b, "%slocation%s/l%d/%s{%s", indent, g.space(), g.n, g.space(), g.nl())
			for range g.r.IntN(4) {
				g.directive(depth + 1)
			}
			fmt.Fprintf(&g.b, "%s}%s", indent, g.nl())
			return
		}
		fmt.Fprintf(&g.b, "%sreturn 200 %s;%s", indent, g.arg(), g.nl())
	case 4:
		if g.r.IntN(20) == 0 {
			fmt.Fprintf(&g.b, "%s#%s\n", indent, strings.Repeat("C", 4060+g.r.IntN(60)))
			return
		}
		if depth > 2 {
			fmt.Fprintf(&g.b, "%slimit_except GET%s{ deny all; }%sauth_basic %s;%s", indent, g.space(), g.nl(), g.arg(), g.nl())
			return
		}
		fmt.Fprintf(&g.b, "%s# comment %s%s", indent, g.arg(), g.nl())
	default:
		fmt.Fprintf(&g.b, "%sreturn%s200%s%s;%s", indent, g.space(), g.space(), g.arg(), g.nl())
	}
}

func generate(r *rand.Rand) []byte {
	g := &genConfig{r: r}
	g.b.WriteString("events {}\nhttp {\n    access_log off;\n")
	if r.IntN(2) == 0 {
		fmt.Fprintf(&g.b, "    map $http_m $m {%sdefault 0;%s%s 1;%s}%s", g.nl(), g.nl(), g.arg(), g.space(), g.nl())
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&g.b, "    upstream u {%sserver 127.0.0.1:1 weight=2;%skeepalive 2;%s}%s", g.nl(), g.space(), g.nl(), g.nl())
	}
	g.b.WriteString("    server {\n        listen 127.0.0.1:18099;\n")
	for range 3 + r.IntN(8) {
		g.directive(2)
	}
	g.b.WriteString("    }\n}\n")
	src := []byte(g.b.String())
	// Most cases get one corruption: a deleted or an inserted syntax byte.
	if r.IntN(10) < 7 {
		var spots []int
		for i, c := range src {
			if strings.IndexByte(";{}\"'\\", c) >= 0 {
				spots = append(spots, i)
			}
		}
		i := spots[r.IntN(len(spots))]
		if r.IntN(2) == 0 {
			src = append(src[:i:i], src[i+1:]...)
		} else {
			c := ";{}\"'\\"[r.IntN(6)]
			j := r.IntN(len(src))
			src = append(src[:j:j], append([]byte{c}, src[j:]...)...)
		}
	}
	return src
}

// TestRandomizedAgainstNginx runs generated configurations, most with one
// syntax byte deleted or inserted, through nginx and Parse: a syntax error
// from nginx must be a parse-error at the same line, and a file nginx
// accepts must get none. AUTHLINT_SEED picks another seed, AUTHLINT_CASES
// another count.
func TestRandomizedAgainstNginx(t *testing.T) {
	bin := nginxBinary(t)
	seed := uint64(20261126)
	if s, err := strconv.ParseUint(os.Getenv("AUTHLINT_SEED"), 10, 64); err == nil {
		seed = s
	}
	cases := 240
	if n, err := strconv.Atoi(os.Getenv("AUTHLINT_CASES")); err == nil {
		cases = n
	}
	r := rand.New(rand.NewPCG(seed, seed))
	srcs := make([][]byte, cases)
	for i := range srcs {
		srcs[i] = generate(r)
	}
	var accepted, syntax atomic.Int64
	t.Run("cases", func(t *testing.T) {
		for i, src := range srcs {
			t.Run(strconv.Itoa(i), func(t *testing.T) {
				t.Parallel()
				conf := filepath.Join(t.TempDir(), "nginx.conf")
				if err := os.WriteFile(conf, src, 0o600); err != nil {
					t.Fatal(err)
				}
				ok, msg, file, line := nginxTest(t, bin, conf)
				_, problems := Parse(conf, src)
				if ok {
					accepted.Add(1)
				} else if structural(msg) && file == conf {
					syntax.Add(1)
				}
				switch {
				case ok && len(problems) > 0:
					t.Errorf("seed %d case %d: nginx accepts, authlint reports %v\n%s", seed, i, problems, src)
				case !ok && structural(msg) && file == conf && !hasParseErrorAt(problems, line):
					t.Errorf("seed %d case %d: nginx says %q at line %d, authlint reports %v\n%s", seed, i, msg, line, problems, src)
				}
			})
		}
	})
	t.Logf("%d cases: nginx accepted %d, rejected %d for syntax", cases, accepted.Load(), syntax.Load())
	if accepted.Load() == 0 || syntax.Load() == 0 {
		t.Errorf("the generator no longer produces both accepted and broken files")
	}
}
