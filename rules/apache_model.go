package rules

import (
	"fmt"
	"path/filepath"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// apacheModel models the Apache configs and access files of the pass; nil
// when there are none.
// The model is built once per run and shared by every Apache rule.
func apacheModel(p *Pass) *apachemodel.Model {
	if p.run != nil && p.run.apacheBuilt {
		return p.run.apache
	}
	var m *apachemodel.Model
	for _, c := range p.Configs {
		if c.Kind == ast.KindApache || c.Kind == ast.KindHtaccess {
			m = apachemodel.Build(p.Configs, apachemodel.Options{Resolver: p.Env.Resolver, DocRoot: p.Env.DocRoot})
			break
		}
	}
	if p.run != nil {
		p.run.apache, p.run.apacheBuilt = m, true
	}
	return m
}

// guardApache runs the Apache half of a rule so that a bug in the model
// on some odd config costs that half, not the whole run.
func guardApache(p *Pass, m *apachemodel.Model, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			var at ast.Pos
			if len(m.Mains) > 0 && m.Mains[0].Config != nil {
				at = ast.Pos{File: m.Mains[0].Config.Entry}
			}
			p.Report(Finding{Severity: Info, Pos: at, Message: fmt.Sprintf("internal error in the Apache model, this check was skipped (please report it): %v", r)})
		}
	}()
	fn()
}

// apacheText quotes an Apache directive as written, shortened.
func apacheText(n *ast.Node) string {
	t := n.Text()
	if n.Block {
		t = "<" + t + ">"
	}
	if len(t) > 80 {
		t = t[:77] + "..."
	}
	return "`" + t + "`"
}

// where says where a node sits: "in <Directory /var/www/html>" or "in
// .htaccess in /var/www/html".
func where(sec *apachemodel.Section) string {
	if sec == nil {
		return ""
	}
	return "in " + sec.Label()
}

// at renders a position shortly: apache2.conf:12.
func at(pos ast.Pos) string {
	return fmt.Sprintf("%s:%d", filepath.Base(pos.File), pos.Line)
}

// requireReport picks the node to report an authz decision at: the
// Require that asks for a user, else the section that set the Require set.
func requireReport(d *apachemodel.Decision) *ast.Node {
	if r := d.Require(); r != nil {
		return r
	}
	if d.Set != nil {
		return d.Set.Node
	}
	return nil
}
