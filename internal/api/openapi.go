package api

import "net/http"

// openAPI is GET /api/v1/openapi.json: the API described in OpenAPI 3.1.
func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	a.reply(w, r, http.StatusOK, a.OpenAPI())
}

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func param(name, in, desc string, schema obj) obj {
	p := obj{"name": name, "in": in, "description": desc, "schema": schema}
	if in == "path" {
		p["required"] = true
	}
	return p
}

var (
	str     = obj{"type": "string"}
	integer = obj{"type": "integer"}
	date    = obj{"type": "string", "description": "YYYY-MM-DD or RFC 3339"}
)

func jsonBody(schema obj) obj {
	return obj{"required": true, "content": obj{"application/json": obj{"schema": schema}}}
}

func ok(desc string, schema obj) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": schema}}}
}

func problems(codes ...string) obj {
	out := obj{"429": obj{"$ref": "#/components/responses/TooMany"}}
	words := map[string]string{"400": "Bad parameter or body", "401": "No token, or an invalid one", "403": "The token's role may not do this",
		"404": "Not found", "409": "Edit conflict: the article has changed since the given version", "422": "The article is not valid"}
	for _, c := range codes {
		out[c] = obj{"description": words[c], "content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}
	}
	return out
}

func with(m obj, extra obj) obj {
	for k, v := range extra {
		m[k] = v
	}
	return m
}

var pageParams = []any{
	param("page", "query", "Page number, from 1.", obj{"type": "integer", "minimum": 1, "default": 1}),
	param("per_page", "query", "Items a page.", obj{"type": "integer", "minimum": 1, "maximum": MaxPerPage}),
}

func listOf(item, key string) obj {
	return obj{"type": "object", "required": []string{key, "total", "page", "per_page", "total_pages"}, "properties": obj{
		key: obj{"type": "array", "items": ref(item)}, "total": integer, "page": integer, "per_page": integer, "total_pages": integer}}
}

func props(required []string, p obj) obj {
	return obj{"type": "object", "required": required, "properties": p}
}

var bearerAuth = []any{obj{"bearerAuth": []any{}}}

// OpenAPI returns the document describing every /api/v1 endpoint.
func (a *API) OpenAPI() obj {
	idParam := param("id", "path", "Article id.", integer)
	articleParams := append([]any{
		param("section", "query", "Section id or path (news/kazakhstan); includes its subsections.", str),
		param("tag", "query", "Tag id or slug.", str),
		param("author", "query", "Author id or slug.", str),
		param("lang", "query", "Language.", obj{"type": "string", "enum": []string{"en", "ru"}}),
		param("from", "query", "Published on or after.", date),
		param("to", "query", "Published on or before (a date includes that whole day).", date),
		param("q", "query", "Words in the title.", str),
		param("status", "query", "Comma-separated statuses; needs a token. Contributors' and authors' tokens see only their own articles.",
			obj{"type": "string", "examples": []string{"draft,pending"}}),
	}, pageParams...)
	paths := obj{
		"/api/v1/openapi.json": obj{"get": obj{"summary": "This document", "operationId": "openapi",
			"responses": with(obj{"200": ok("OpenAPI 3.1 document", obj{"type": "object"})}, problems())}},
		"/api/v1/rates": obj{"get": obj{"summary": "Latest currency rates against the US dollar", "operationId": "ratesLatest",
			"responses": with(obj{"200": ok("Latest rates", obj{"type": "object"})}, problems())}},
		"/api/v1/rates/{code}": obj{"get": obj{"summary": "One currency's rate history (at most three years a request)", "operationId": "ratesHistory",
			"parameters": []any{param("code", "path", "Currency code, such as KZT.", str), param("from", "query", "First day, YYYY-MM-DD.", obj{"type": "string", "format": "date"}),
				param("to", "query", "Last day, YYYY-MM-DD.", obj{"type": "string", "format": "date"})},
			"responses": with(obj{"200": ok("Rate history", obj{"type": "object"})}, problems("400", "404"))}},
		"/api/v1/articles": obj{
			"get": obj{"summary": "List articles, newest first", "operationId": "listArticles", "parameters": articleParams,
				"responses": with(obj{"200": ok("A page of articles", ref("ArticleList"))}, problems("400", "401"))},
			"post": obj{"summary": "Create an article (a draft, or pending review)", "operationId": "createArticle", "security": bearerAuth,
				"requestBody": jsonBody(ref("ArticleInput")),
				"responses":   with(obj{"201": ok("The new article", ref("Article"))}, problems("400", "401", "403", "422"))},
		},
		"/api/v1/articles/{id}": obj{
			"get": obj{"summary": "One article, by id or by slug", "operationId": "getArticle",
				"parameters": []any{param("id", "path", "Article id, or its slug.", str)},
				"responses":  with(obj{"200": ok("The article", ref("Article"))}, problems("404"))},
			"patch": obj{"summary": "Change some fields of an article", "operationId": "patchArticle", "security": bearerAuth,
				"parameters": []any{idParam}, "requestBody": jsonBody(ref("ArticleInput")),
				"responses": with(obj{"200": ok("The saved article", ref("Article"))}, problems("400", "401", "403", "404", "409", "422"))},
			"put": obj{"summary": "Replace an article's fields", "operationId": "putArticle", "security": bearerAuth,
				"parameters": []any{idParam}, "requestBody": jsonBody(ref("ArticleInput")),
				"responses": with(obj{"200": ok("The saved article", ref("Article"))}, problems("400", "401", "403", "404", "409", "422"))},
		},
		"/api/v1/articles/{id}/publish": obj{"post": obj{"summary": "Publish now, at a past time, or schedule", "operationId": "publishArticle",
			"security": bearerAuth, "parameters": []any{idParam}, "requestBody": jsonBody(ref("PublishInput")),
			"responses": with(obj{"200": ok("The published article", ref("Article"))}, problems("400", "401", "403", "404", "409", "422"))}},
		"/api/v1/sections": obj{"get": obj{"summary": "Every section, parents first", "operationId": "listSections",
			"responses": with(obj{"200": ok("Sections", props([]string{"sections"}, obj{"sections": obj{"type": "array", "items": ref("Section")}}))}, problems())}},
		"/api/v1/tags": obj{"get": obj{"summary": "Tags, most used first", "operationId": "listTags", "parameters": pageParams,
			"responses": with(obj{"200": ok("A page of tags", listOf("Tag", "tags"))}, problems("400"))}},
		"/api/v1/authors": obj{"get": obj{"summary": "Every byline, by name", "operationId": "listAuthors",
			"responses": with(obj{"200": ok("Authors", props([]string{"authors"}, obj{"authors": obj{"type": "array", "items": ref("Author")}}))}, problems())}},
		"/api/v1/media": obj{"get": obj{"summary": "The image library, newest first", "operationId": "listMedia",
			"parameters": append([]any{param("q", "query", "Words in caption, alt text, credit or file name.", str)}, pageParams...),
			"responses":  with(obj{"200": ok("A page of images", listOf("Media", "media"))}, problems("400"))}},
		"/api/v1/search": obj{"get": obj{"summary": "Full-text search, as the site's search page ranks it", "operationId": "search",
			"parameters": []any{
				param("q", "query", `The query: words, "exact phrases", -exclusions, OR. Anything else is searched as words; nothing is an error.`, str),
				param("page", "query", "Page of ten results, from 1.", integer),
				param("section", "query", "Section path, e.g. news/kazakhstan (and the sections below it).", str),
				param("tag", "query", "Tag slug.", str),
				param("author", "query", "Author slug.", str),
				param("lang", "query", "en or ru.", str),
				param("from", "query", "First day, YYYY-MM-DD.", str),
				param("to", "query", "Last day, YYYY-MM-DD.", str),
				param("sort", "query", "date for newest first; relevance otherwise.", str),
			},
			"responses": with(obj{"200": ok("Results, with highlighted snippets and a spelling suggestion when one helps", props([]string{"query", "total", "page", "pages", "results"}, obj{
				"query": str, "total": integer, "page": integer, "pages": integer, "suggestion": str,
				"results": obj{"type": "array", "items": props([]string{"title", "url", "date"}, obj{
					"title": str, "title_html": str, "url": str, "date": str, "lang": str, "section": str,
					"authors": obj{"type": "array", "items": str}, "snippet": str})}}))}, problems("429"))}},
		"/api/v1/media/{id}": obj{"get": obj{"summary": "One image", "operationId": "getMedia", "parameters": []any{param("id", "path", "Image id.", integer)},
			"responses": with(obj{"200": ok("The image", ref("Media"))}, problems("404"))}},
	}
	named := props([]string{"id", "slug", "name"}, obj{"id": integer, "slug": str, "name": str})
	schemas := obj{
		"Problem": props([]string{"type", "title", "status"}, obj{"type": str, "title": str, "status": integer, "detail": str,
			"current_version": obj{"type": "integer", "description": "On 409: the article's version now."},
			"your_version":    obj{"type": "integer", "description": "On 409: the version the write was based on."},
			"param":           obj{"type": "string", "description": "On 400: the parameter at fault."}}),
		"Image": props([]string{"url"}, obj{"url": str, "alt": str, "caption": str, "credit": str, "width": integer, "height": integer}),
		"Article": props([]string{"id", "slug", "url", "title", "lang", "status", "version"}, obj{
			"id": integer, "slug": str, "url": obj{"type": "string", "format": "uri"}, "title": str, "standfirst": str, "excerpt": str,
			"body_html":   obj{"type": "string", "description": "One article only; withheld from readers for password-protected articles."},
			"body_source": obj{"type": "string", "description": "With a token only."}, "body_format": obj{"type": "string", "enum": []string{"markdown", "html"}},
			"lang": str, "status": obj{"type": "string", "enum": []string{"draft", "pending", "scheduled", "published", "private", "trash"}},
			"published_at": obj{"type": []string{"string", "null"}, "format": "date-time"}, "updated_at": obj{"type": "string", "format": "date-time"},
			"section": obj{"oneOf": []any{props([]string{"id", "slug", "name", "path"}, obj{"id": integer, "slug": str, "name": str, "path": str}), obj{"type": "null"}}},
			"tags":    obj{"type": "array", "items": named}, "authors": obj{"type": "array", "items": named},
			"image": obj{"oneOf": []any{ref("Image"), obj{"type": "null"}}}, "reading_minutes": integer, "sticky": obj{"type": "boolean"},
			"protected": obj{"type": "boolean"}, "version": integer, "translation_of": integer}),
		"ArticleList": listOf("Article", "articles"),
		"ArticleInput": obj{"type": "object", "additionalProperties": false, "properties": obj{
			"version": obj{"type": "integer", "description": "Required on PATCH and PUT: the version that was read."},
			"title":   str, "slug": str, "standfirst": str, "body": str, "format": obj{"type": "string", "enum": []string{"markdown", "html"}},
			"lang": obj{"type": "string", "enum": []string{"en", "ru"}}, "section_id": integer,
			"tags": obj{"type": "array", "items": str}, "author_ids": obj{"type": "array", "items": integer}, "excerpt": str,
			"image": obj{"oneOf": []any{ref("Image"), obj{"type": "null"}}}, "seo_title": str, "seo_description": str, "sticky": obj{"type": "boolean"},
			"status": obj{"type": "string", "enum": []string{"draft", "pending"}}}},
		"PublishInput": props([]string{"version"}, obj{"version": integer, "publish_at": obj{"type": "string", "format": "date-time"}}),
		"Section":      props([]string{"id", "slug", "name", "path"}, obj{"id": integer, "parent_id": integer, "slug": str, "name": str, "path": str, "url": str, "count": integer}),
		"Tag":          props([]string{"id", "slug", "name"}, obj{"id": integer, "slug": str, "name": str, "url": str, "count": integer}),
		"Author":       props([]string{"id", "slug", "name"}, obj{"id": integer, "slug": str, "name": str, "bio": str, "url": str, "count": integer}),
		"Media": props([]string{"id", "url"}, obj{"id": integer, "url": str, "width": integer, "height": integer, "content_type": str, "alt": str,
			"caption": str, "credit": str, "created_at": obj{"type": "string", "format": "date-time"},
			"sizes": obj{"type": "array", "items": props([]string{"width", "url"}, obj{"width": integer, "height": integer, "url": str})}}),
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": a.cfg.SiteName + " API", "version": "1",
			"description": "Dastan's JSON API. Reads are public and show what readers may see; writes need an API token made in the newsroom " +
				"(Authorization: Bearer dst_…), acting with the token's role. Errors are RFC 9457 problem documents. Requests are rate-limited per client; " +
				"over the limit the answer is 429 with Retry-After. WordPress-compatible reads live under /wp-json/wp/v2/."},
		"servers": []any{obj{"url": a.cfg.SiteURL}},
		"paths":   paths,
		"components": obj{
			"schemas":         schemas,
			"securitySchemes": obj{"bearerAuth": obj{"type": "http", "scheme": "bearer", "description": "An API token (dst_…) from the newsroom's API tokens screen."}},
			"responses": obj{"TooMany": obj{"description": "Too many requests from this client",
				"headers": obj{"Retry-After": obj{"description": "Seconds to wait", "schema": integer}},
				"content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}},
		},
	}
}
