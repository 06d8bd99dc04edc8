package site

import (
	"net/http"

	"dastan/internal/links"
)

type notFoundContent struct {
	Heading, Message string
}

// notFound is the 404 page: it offers search rather than a dead end.
func (s *Site) notFound(r *http.Request, _ params) (*response, error) {
	if resp := s.moved(r); resp != nil {
		return resp, nil
	}
	lang := s.langOf(r)
	return s.notFoundPage(r, s.t(lang, "site.notfound.title"), s.t(lang, "site.notfound.message"))
}

// langOf is the edition r's address is in.
func (s *Site) langOf(r *http.Request) string {
	lang, _ := links.FromEdition(r.URL.Path, s.words.Languages())
	return lang
}

func (s *Site) notFoundPage(r *http.Request, heading, message string) (*response, error) {
	p := s.newPage(r.Context(), s.langOf(r), heading, r.URL.Path, "")
	p.Content = notFoundContent{Heading: heading, Message: message}
	resp, err := s.render("notfound", http.StatusNotFound, p)
	if err != nil {
		return nil, err
	}
	resp.cacheable = false
	return resp, nil
}

// errorPage is shown when something failed on our side. It says so in
// plain words; the details go to the log, never to the reader.
func (s *Site) errorPage(r *http.Request) *response {
	lang := s.langOf(r)
	p := s.newPage(r.Context(), lang, s.t(lang, "site.error.title"), r.URL.Path, "")
	p.Content = notFoundContent{Heading: s.t(lang, "site.error.title"), Message: s.t(lang, "site.error.message")}
	resp, err := s.render("notfound", http.StatusInternalServerError, p)
	if err != nil {
		return &response{status: http.StatusInternalServerError, ctype: "text/plain; charset=utf-8", body: []byte("Something went wrong. Please try again in a moment.\n")}
	}
	resp.cacheable = false
	return resp
}
