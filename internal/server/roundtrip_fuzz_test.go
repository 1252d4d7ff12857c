package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
)

// A result URL is the only place a reader's answers live, so the page must
// survive any query a hand-edited or mangled link can hold, and the URL it
// hands out for sharing must bring back exactly the same result. The seed
// corpora are in testdata/fuzz/; run longer with
//
//	go test ./internal/server -run '^$' -fuzz FuzzResultURL -fuzztime 20s
//	go test ./internal/server -run '^$' -fuzz FuzzAPIRecommendation -fuzztime 20s

// fuzzSite serves the published content through the real router, with the
// access log discarded: a fuzzing run makes hundreds of thousands of
// requests.
func fuzzSite(f *testing.F) (*Server, *compare.Comparison) {
	f.Helper()
	cat, err := catalog.Load(content.FS)
	if err != nil {
		f.Fatalf("load the published content: %v", err)
	}
	sum, ok := cat.Get("django-vs-flask")
	if !ok {
		f.Fatal("the published content has no django-vs-flask")
	}
	c, err := cat.Article(sum)
	if err != nil {
		f.Fatal(err)
	}
	s, err := New(cat, Options{BaseURL: "https://versus.test", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatalf("New: %v", err)
	}
	return s, c
}

// fuzzGet sends GET path?rawQuery through the router. The query is set
// as is, without the request-line checks net/http would make first, so the
// handlers see more than a real connection could deliver.
func fuzzGet(h http.Handler, path, rawQuery string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.URL.RawQuery = rawQuery
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// resultPage is what a result page says about its result.
type resultPage struct {
	canonical string
	share     string
	winner    string
	scores    string // "django=60 flask=40", in page order
}

func readResultPage(t *testing.T, body []byte) resultPage {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	var p resultPage
	var ok bool
	if p.canonical, ok = doc.Find("link[rel=canonical]").Attr("href"); !ok {
		t.Fatalf("result page has no canonical link")
	}
	res := doc.Find("[data-testid=result]")
	if res.Length() != 1 {
		t.Fatalf("%d [data-testid=result] elements, want 1", res.Length())
	}
	p.winner, _ = res.Attr("data-winner")
	p.share = strings.TrimSpace(doc.Find("[data-testid=share-url]").Text())
	var scores []string
	doc.Find("[data-testid=scores] [data-subject]").Each(func(_ int, s *goquery.Selection) {
		subj, _ := s.Attr("data-subject")
		scores = append(scores, subj+"="+strings.TrimSuffix(strings.TrimSpace(s.Find("[data-testid=percent]").Text()), "%"))
	})
	p.scores = strings.Join(scores, " ")
	return p
}

// noForeignScript fails when the page holds a script or an event handler
// the site did not write: whatever the query, the only scripts are our
// static files and JSON-LD data.
func noForeignScript(t *testing.T, body []byte) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, _ := s.Attr("src")
		typ, _ := s.Attr("type")
		if !strings.HasPrefix(src, "/static/") && typ != "application/ld+json" {
			h, _ := goquery.OuterHtml(s)
			t.Errorf("foreign script element: %.200s", h)
		}
	})
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("event handler attribute %s=%q on <%s>", a.Key, a.Val, s.Nodes[0].Data)
			}
		}
	})
}

func FuzzResultURL(f *testing.F) {
	s, c := fuzzSite(f)
	resultPath := "/compare/" + c.Slug + "/result"
	canonicalPrefix := "https://versus.test" + resultPath
	f.Fuzz(func(t *testing.T, q string) {
		rec := fuzzGet(s, resultPath, q)
		body := rec.Body.Bytes()
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("GET ?%q: status %d, want 200 or 400; body:\n%.600s", q, rec.Code, body)
		}
		noForeignScript(t, body)

		// What the page must say follows from the query: a query that
		// does not decode, or answers the quiz does not know, is a 400
		// naming the problem; anything else is the result.
		asked, problems := expectAnswers(c, q)
		if len(problems) > 0 {
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("?%q: status %d, want 400 for %q", q, rec.Code, problems)
			}
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("parse HTML: %v", err)
			}
			said := doc.Find("[data-testid=error]").Text()
			for _, p := range problems {
				if !strings.Contains(said, p) {
					t.Errorf("?%q: the 400 page does not say %q; it says:\n%s", q, p, strings.Join(strings.Fields(said), " "))
				}
			}
			return
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("?%q: status %d, want 200 (answers %v); body:\n%.600s", q, rec.Code, asked, body)
		}
		want := recommend.Recommend(c, asked)

		first := readResultPage(t, body)
		canonical, ok := strings.CutPrefix(first.canonical, canonicalPrefix)
		if !ok || (canonical != "" && canonical[0] != '?') {
			t.Fatalf("canonical %q is not a result URL of %s", first.canonical, c.Slug)
		}
		canonical = strings.TrimPrefix(canonical, "?")
		if first.share != first.canonical {
			t.Errorf("share URL %q differs from the canonical %q", first.share, first.canonical)
		}
		if first.winner != want.Winner {
			t.Errorf("page winner %q, recommender says %q", first.winner, want.Winner)
		}
		var wantScores []string
		even := recommend.Describe(want, nil).Even() // no points: no shares shown
		for _, sc := range want.Scores {
			if even {
				wantScores = append(wantScores, sc.Subject+"=–no points")
			} else {
				wantScores = append(wantScores, sc.Subject+"="+strconv.Itoa(sc.Percent))
			}
		}
		if first.scores != strings.Join(wantScores, " ") {
			t.Errorf("page scores %q, recommender says %q", first.scores, strings.Join(wantScores, " "))
		}

		// The canonical query holds the same answers, in canonical form…
		cv, err := url.ParseQuery(canonical)
		if err != nil {
			t.Fatalf("canonical query %q does not decode: %v", canonical, err)
		}
		again, err := recommend.Parse(&c.Quiz, cv)
		if err != nil {
			t.Fatalf("canonical query %q does not parse: %v", canonical, err)
		}
		if !maps.Equal(again, asked) {
			t.Fatalf("canonical query %q gives answers %v, the page was for %v", canonical, again, asked)
		}
		if enc := recommend.Encode(&c.Quiz, again); enc != canonical {
			t.Errorf("canonical query %q is not in canonical form %q", canonical, enc)
		}

		// …and opening it shows the same result, and links to itself.
		rec2 := fuzzGet(s, resultPath, canonical)
		if rec2.Code != http.StatusOK {
			t.Fatalf("canonical %q: status %d, want 200", first.canonical, rec2.Code)
		}
		if second := readResultPage(t, rec2.Body.Bytes()); second != first {
			t.Errorf("canonical %q shows %+v, the original query showed %+v", first.canonical, second, first)
		}
	})
}

// expectAnswers decodes q the strict way a result URL must be read: the
// answers when it is fine, or else the messages that must reach the reader
// (the query's decoding error, or each problem with the answers).
func expectAnswers(c *compare.Comparison, q string) (recommend.Answers, []string) {
	v, err := url.ParseQuery(q)
	if err != nil {
		// Refused in words, never with Go's error text.
		_, perr := recommend.ParseQuery(&c.Quiz, q, recommend.QueryOptions{})
		var me *recommend.MalformedError
		if !errors.As(perr, &me) {
			return nil, []string{"(ParseQuery accepted what url.ParseQuery refuses: " + err.Error() + ")"}
		}
		return nil, []string{me.Error()}
	}
	a, err := recommend.Parse(&c.Quiz, v)
	if strings.Count(q, "&") >= 255 { // past ParseQuery's pair limit: "too many parameters"
		a, err = recommend.ParseQuery(&c.Quiz, q, recommend.QueryOptions{})
	}
	if err == nil {
		return a, nil
	}
	ae, ok := err.(*recommend.AnswerError)
	if !ok {
		return nil, []string{err.Error()}
	}
	var msgs []string
	for _, p := range ae.Problems {
		msgs = append(msgs, p.Msg)
	}
	return nil, msgs
}

// apiResult is the part of the recommendation JSON that must round-trip.
type apiResult struct {
	Winner     *string        `json:"winner"`
	Scores     map[string]int `json:"scores"`
	Confidence string         `json:"confidence"`
	URL        string         `json:"url"`
}

func FuzzAPIRecommendation(f *testing.F) {
	s, c := fuzzSite(f)
	apiPath := "/api/compare/" + c.Slug + "/recommendation"
	resultPath := "/compare/" + c.Slug + "/result"
	var subjects []string
	for _, sub := range c.Subjects {
		subjects = append(subjects, sub.Key)
	}
	slices.Sort(subjects)
	f.Fuzz(func(t *testing.T, q string) {
		rec := fuzzGet(s, apiPath, q)
		body := rec.Body.Bytes()
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("?%q: Content-Type %q, want JSON", q, ct)
		}
		if !json.Valid(body) {
			t.Fatalf("?%q: body is not valid JSON:\n%.600s", q, body)
		}
		asked, problems := expectAnswers(c, q)
		if len(problems) > 0 {
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("?%q: status %d, want 400 for %q; body:\n%.600s", q, rec.Code, problems, body)
			}
			var e map[string]any
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("?%q: 400 body is not a JSON object: %v", q, err)
			}
			msg, _ := e["error"].(string)
			for _, p := range problems {
				if !strings.Contains(msg, p) {
					t.Errorf(`?%q: "error" does not say %q; it says %q`, q, p, msg)
				}
			}
			return
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("?%q: status %d, want 200 (answers %v); body:\n%.600s", q, rec.Code, asked, body)
		}

		var got apiResult
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("?%q: %v", q, err)
		}
		if got.Winner == nil {
			t.Fatalf(`?%q: no "winner" in %s`, q, body)
		}
		keys := slices.Sorted(maps.Keys(got.Scores))
		total := 0
		for _, p := range got.Scores {
			total += p
		}
		if !slices.Equal(keys, subjects) || total != 100 {
			t.Errorf("?%q: scores %v, want a percentage for each of %v adding up to 100", q, got.Scores, subjects)
		}
		canonical, ok := strings.CutPrefix(got.URL, resultPath)
		if !ok || (canonical != "" && canonical[0] != '?') {
			t.Fatalf("?%q: url %q is not a result URL of %s", q, got.URL, c.Slug)
		}
		canonical = strings.TrimPrefix(canonical, "?")
		if enc := recommend.Encode(&c.Quiz, asked); enc != canonical {
			t.Errorf("?%q: url query %q, want the canonical %q", q, canonical, enc)
		}

		// The same answers through the canonical query: the same JSON, byte
		// for byte.
		rec2 := fuzzGet(s, apiPath, canonical)
		if rec2.Code != http.StatusOK {
			t.Fatalf("canonical ?%q: status %d, want 200", canonical, rec2.Code)
		}
		if !bytes.Equal(rec2.Body.Bytes(), body) {
			t.Errorf("canonical ?%q answers\n%s\nthe original ?%q answered\n%s", canonical, rec2.Body.Bytes(), q, body)
		}
	})
}
