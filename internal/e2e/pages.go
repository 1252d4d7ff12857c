package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Page is one kind of page the site serves. Every check (axe, html-validate,
// screenshots, the narrow-screen test) walks the same list, so a new page
// type added here is covered everywhere at once.
type Page struct {
	Name   string     // short, file-name safe: "home", "quiz-errors"
	Path   string     // path and query on the site
	Status int        // the status the router must answer with
	Form   url.Values // non-nil: POST this form to Path instead of a GET
}

// Readers are the answer sets of the questionnaire's typical readers, as URL
// queries. The names say which subject each should get; the browser
// journeys answer with both, and Pages' result page shows Flask's.
var Readers = struct{ Flask, Django url.Values }{
	// A beginner learning on a small project.
	Flask: url.Values{"size": {"small"}, "experience": {"beginner"}, "kind": {"learning"}},
	// A large shop on a deadline that needs an admin, accounts and care with data.
	Django: url.Values{"size": {"large"}, "kind": {"ecommerce"}, "deadline": {"tight"}, "admin": {"yes"}, "auth": {"yes"}, "security": {"sensitive"}},
}

// Pages lists every page type for one comparison slug and one of its tags.
func Pages(slug, tag string) []Page {
	base := "/compare/" + slug
	return []Page{
		{Name: "home", Path: "/", Status: http.StatusOK},
		{Name: "tag", Path: "/tags/" + url.PathEscape(tag), Status: http.StatusOK},
		{Name: "comparison", Path: base, Status: http.StatusOK},
		{Name: "quiz", Path: base + "/quiz", Status: http.StatusOK},
		// An option key no question has: what a stale or tampered form sends.
		{Name: "quiz-errors", Path: base + "/quiz", Status: http.StatusUnprocessableEntity,
			Form: url.Values{"size": {"enormous"}, "experience": {"beginner"}}},
		{Name: "result", Path: base + "/result?" + Readers.Flask.Encode(), Status: http.StatusOK},
		{Name: "scoring", Path: base + "/scoring", Status: http.StatusOK},
		{Name: "not-found", Path: "/compare/no-such-comparison", Status: http.StatusNotFound},
	}
}

// CatalogPages lists the page types of the category model: a category
// with its matrix and picker, the picker refusing a pick of one, a
// subject, and a three-way comparison composed on demand with its
// questionnaire and result, and the category's own questionnaire.
func CatalogPages(category, subject, set string) []Page {
	cat := "/categories/" + category
	base := "/compare/" + set
	return []Page{
		{Name: "category", Path: cat, Status: http.StatusOK},
		{Name: "category-pick-error", Path: "/compare?category=" + url.QueryEscape(category) + "&s=" + url.QueryEscape(subject), Status: http.StatusBadRequest},
		{Name: "subject", Path: "/subjects/" + subject, Status: http.StatusOK},
		{Name: "generated", Path: base, Status: http.StatusOK},
		{Name: "generated-quiz", Path: base + "/quiz", Status: http.StatusOK},
		{Name: "generated-result", Path: base + "/result?" + Readers.Flask.Encode(), Status: http.StatusOK},
		{Name: "category-quiz", Path: cat + "/quiz", Status: http.StatusOK},
		{Name: "category-result", Path: cat + "/result?" + Readers.Django.Encode(), Status: http.StatusOK},
		{Name: "set-not-found", Path: "/compare/" + subject + "-vs-no-such-subject", Status: http.StatusNotFound},
	}
}

// Fetch gets p's HTML over plain HTTP, without following redirects, so the
// status is the router's own answer.
func Fetch(ctx context.Context, baseURL string, p Page) (status int, body []byte, err error) {
	var req *http.Request
	if p.Form != nil {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, baseURL+p.Path, strings.NewReader(p.Form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, baseURL+p.Path, nil)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", p.Name, err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", p.Name, err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("%s: read body: %w", p.Name, err)
	}
	return resp.StatusCode, body, nil
}

// Open loads p in the tab of ctx and waits for its load event. A POST page
// is reached the way a browser reaches it: by submitting a form, built here
// from p.Form so that it does not depend on the page's markup. That needs
// JavaScript in the tab.
func Open(baseURL string, p Page) chromedp.Action[chromedp.Void] {
	if p.Form == nil {
		return chromedp.Navigate(baseURL + p.Path)
	}
	fields, _ := json.Marshal(p.Form) // url.Values always marshals
	script := fmt.Sprintf(`(() => {
		const f = document.createElement('form');
		f.method = 'post';
		f.action = %q;
		for (const [k, vs] of Object.entries(%s)) for (const v of vs) {
			const i = document.createElement('input');
			i.type = 'hidden'; i.name = k; i.value = v;
			f.appendChild(i);
		}
		document.body.appendChild(f);
		f.submit();
	})()`, p.Path, fields)
	return chromedp.Steps(
		chromedp.Navigate(baseURL+p.Path),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[chromedp.Void](script))(ctx, t)
			if err != nil {
				return fmt.Errorf("submit form to %s: %w", p.Path, err)
			}
			return nil
		}),
	)
}
