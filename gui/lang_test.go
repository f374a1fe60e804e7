package gui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryStringIsInEnglish checks that each string the screens pass to
// lang is a key of assets/translations/en.json, so that a translator who
// copies en.json sees every sentence.
func TestEveryStringIsInEnglish(t *testing.T) {
	raw, err := os.ReadFile("../assets/translations/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]any
	if err := json.Unmarshal(raw, &en); err != nil {
		t.Fatalf("en.json: %v", err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	used := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lang" || !strings.HasPrefix(sel.Sel.Name, "L") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				t.Errorf("%s: lang.%s with a key that is not a literal", fset.Position(call.Pos()), sel.Sel.Name)
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			used[key] = true
			if _, ok := en[key]; !ok {
				t.Errorf("%s: %q is not in en.json", fset.Position(call.Pos()), key)
			}
			return true
		})
	}
	for key := range en {
		if !used[key] {
			t.Errorf("en.json has %q, which no screen uses", key)
		}
	}
}
