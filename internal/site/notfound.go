package site

import (
	"net/http"
)

type notFoundContent struct {
	Heading, Message string
}

// notFound is the 404 page: it offers search rather than a dead end.
func (s *Site) notFound(r *http.Request, _ params) (*response, error) {
	if resp := s.moved(r); resp != nil {
		return resp, nil
	}
	return s.notFoundPage(r, "Page not found", "There is nothing at this address. It may have moved; try searching for it.")
}

func (s *Site) notFoundPage(r *http.Request, heading, message string) (*response, error) {
	p := s.newPage(r.Context(), heading, r.URL.Path, "")
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
	p := s.newPage(r.Context(), "Something went wrong", r.URL.Path, "")
	p.Content = notFoundContent{Heading: "Something went wrong", Message: "This page could not be shown just now. Please try again in a moment."}
	resp, err := s.render("notfound", http.StatusInternalServerError, p)
	if err != nil {
		return &response{status: http.StatusInternalServerError, ctype: "text/plain; charset=utf-8", body: []byte("Something went wrong. Please try again in a moment.\n")}
	}
	resp.cacheable = false
	return resp
}
