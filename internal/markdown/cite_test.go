package markdown

import (
	"strings"
	"testing"
)

// TestCitationsAndLinks checks that `[@key]` and `[text](url)` sit side by
// side without either parser taking the other's text.
func TestCitationsAndLinks(t *testing.T) {
	tests := []struct {
		name, text string
		want       string
	}{
		{"citation", "Claim [@s1].", `<p>Claim <a class="cite" href="#source-s1">[1]<span class="visually-hidden"> source: Test source one</span></a>.</p>`},
		{"two keys", "Claim [@s2; @s1].", `<p>Claim <a class="cite" href="#source-s2">[2]<span class="visually-hidden"> source: Test &#34;two&#34; &lt;b&gt;</span></a><a class="cite" href="#source-s1">[1]<span class="visually-hidden"> source: Test source one</span></a>.</p>`},
		{"link then citation", "[text](https://example.org/) [@s1]", `<p><a href="https://example.org/">text</a> <a class="cite" href="#source-s1">[1]<span class="visually-hidden"> source: Test source one</span></a></p>`},
		{"citation then link", "[@s1] [text](https://example.org/)", `<p><a class="cite" href="#source-s1">[1]<span class="visually-hidden"> source: Test source one</span></a> <a href="https://example.org/">text</a></p>`},
		{"at-sign link stays a link", "[@s1](https://example.org/)", `<p><a href="https://example.org/">@s1</a></p>`},
		{"not a citation", "[see @s1 here]", `<p>[see @s1 here]</p>`},
		{"escaped", `\[@s1]`, `<p>[@s1]</p>`},
		{"in code", "`[@s1]`", `<p><code>[@s1]</code></p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := mustReplace(t, base, "Test text.", tt.text)
			src = mustReplace(t, src, "    title: Test source one\n", "    title: Test source one\n  - key: s2\n    title: Test \"two\" <b>\n")
			c, err := Parse("t.md", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(c.Sections[0].Body); got != tt.want {
				t.Errorf("body:\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

// TestFAQAnswerText checks the plain text given to FAQPage JSON-LD.
func TestFAQAnswerText(t *testing.T) {
	src := mustReplace(t, base, "Test answer.", "A *test* answer [@s1] with `code` and [a link](https://example.org/).\n\n- item one\n- item two")
	c, err := Parse("t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "A test answer with code and a link.\n\nitem one\nitem two"
	if got := c.FAQ[0].AnswerText; got != want {
		t.Errorf("AnswerText = %q, want %q", got, want)
	}
	if !strings.Contains(string(c.FAQ[0].Answer), `<a class="cite"`) {
		t.Errorf("Answer lost its citation: %s", c.FAQ[0].Answer)
	}
}
