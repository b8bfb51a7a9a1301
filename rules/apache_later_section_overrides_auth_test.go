package rules

import (
	"testing"

	"github.com/authlint/authlint/internal/apachemodel"
)

// TestRegexShape: which LocationMatch/FilesMatch patterns count as a
// narrow carve-out (a fixed set of URLs, or an anchored longer prefix).
func TestRegexShape(t *testing.T) {
	for _, tc := range []struct {
		re               string
		lit              string
		finite, anchored bool
	}{
		{`^/$`, "/", true, true},
		{`^/(index\.html)?$`, "/", true, true},
		{`^/admin/public/`, "/admin/public/", false, true},
		{`\.txt$`, "", false, false},
		{`^/api/.*\.json$`, "/api/", false, true},
		{`(?i)^/robots\.txt$`, "/robots.txt", true, true},
	} {
		lit, finite, anchored := regexShape(tc.re)
		if lit != tc.lit || finite != tc.finite || anchored != tc.anchored {
			t.Errorf("regexShape(%q) = %q %v %v, want %q %v %v", tc.re, lit, finite, anchored, tc.lit, tc.finite, tc.anchored)
		}
	}
}

func TestStrictlyUnder(t *testing.T) {
	for _, tc := range []struct {
		u, base string
		want    bool
	}{
		{"/admin/pub/", "/admin/", true},
		{"/admin/", "/admin", false},
		{"/administrator", "/admin/", false},
		{"/x", "/", true},
		{"/", "/", false},
	} {
		if got := strictlyUnder(tc.u, tc.base); got != tc.want {
			t.Errorf("strictlyUnder(%q, %q) = %v, want %v", tc.u, tc.base, got, tc.want)
		}
	}
}

func TestStaticAssetsOnly(t *testing.T) {
	for _, tc := range []struct {
		kind, path string
		want       bool
	}{
		{"FilesMatch", `\.(css|js|png)$`, true},
		{"Files", `*.css`, true},
		{"FilesMatch", `\.(css|php)$`, false},
		{"Files", `*.php`, false},
		{"LocationMatch", `^/static/.*\.(?:woff2|svg)$`, true},
		{"Location", `/static/`, false},
		{"FilesMatch", `\.ht`, false},
	} {
		sec := &apachemodel.Section{Kind: tc.kind, Path: tc.path}
		if got := staticAssetsOnly(sec); got != tc.want {
			t.Errorf("staticAssetsOnly(%s %q) = %v, want %v", tc.kind, tc.path, got, tc.want)
		}
	}
}
