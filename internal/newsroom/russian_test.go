package newsroom_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	multipartpkg "mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// englishMessages are words the newsroom once wrote in Go whatever the
// editor's language; none may reach an editor who reads it in Russian.
var englishMessages = []string{
	"Uploaded.", "Choose an image to upload", "not a JPEG, PNG, WebP or GIF",
	"Pinned. The front page", "Emptied. The newest story", "Front page",
	"Your changes were not saved", "Live articles are not autosaved",
	"There is no such page", "That is not here any more", "Your role does not allow",
	"Something went wrong", "The publication time must look like", "Title is required",
	"Image chosen.", "Unknown action.", "A name is needed", "is too long", "A password needs",
}

// An editor who reads the newsroom in Russian meets Russian wherever the
// newsroom speaks from its code: a refused upload, a form's mistake, the
// front page's pins, a conflict, an autosave's refusal, a missing page.
func TestRussianNewsroomMessages(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"))
	ed := f.users[auth.Editor]
	must(t, f.db.SetUserLang(context.Background(), ed.ID, "ru"))
	c := f.as(t, auth.Editor)
	english := func(what, body string) {
		t.Helper()
		for _, e := range englishMessages {
			if strings.Contains(body, e) {
				t.Errorf("%s: English %q for a Russian editor", what, e)
			}
		}
	}
	expect := func(what string, code, wantCode int, body, want string) {
		t.Helper()
		if code != wantCode || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want %d with %q:\n%s", what, code, wantCode, want, body)
		}
		english(what, body)
	}

	// A file that is no image, then a good one.
	code, body := c.multipart("/newsroom/media/", "notes.txt", []byte("plain words, not pixels"), nil)
	expect("a refused upload", code, http.StatusUnprocessableEntity, body, "Это не изображение в формате JPEG, PNG, WebP или GIF.")
	code, body = c.multipart("/newsroom/media/", "", nil, nil)
	expect("an upload without a file", code, http.StatusUnprocessableEntity, body, "Выберите изображение для загрузки")
	code, body = c.multipart("/newsroom/media/", "notes.txt", []byte("x"), http.Header{"Accept": {"application/json"}})
	expect("a refused upload from the editor", code, http.StatusUnprocessableEntity, body, "Это не изображение")
	postImage(t, c, image.NewRGBA(image.Rect(0, 0, 20, 20)), "dot.png", "A dot")
	_, body = c.get("/newsroom/media/?done=uploaded")
	expect("the library after an upload", http.StatusOK, http.StatusOK, body, "Загружено.")

	// A form's mistakes: the newsroom's own and the articles service's.
	a := f.article(t, ed, news.StatusDraft, "Water talks")
	v := form(a, "save")
	v.Set("publish_at", "tomorrow morning")
	code, body = c.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v)
	expect("a bad publication time", code, http.StatusUnprocessableEntity, body, "Время публикации нужно указать в виде 2025-03-26T09:30.")
	v = form(a, "save")
	v.Set("title", "  ")
	code, body = c.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v)
	expect("a missing title", code, http.StatusUnprocessableEntity, body, "Нужен заголовок.")
	code, body = c.postWith(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v, http.Header{"X-Autosave": {"1"}})
	expect("an autosave without a title", code, http.StatusUnprocessableEntity, body, `"error":"Нужен заголовок."`)

	// A tag's refusal quotes the name and says why in the same language;
	// a section's and a password's rules speak Russian too.
	v = form(a, "save")
	v.Set("tags", strings.Repeat("ж", 201))
	code, body = c.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v)
	expect("a tag too long", code, http.StatusUnprocessableEntity, body, "Название слишком длинное: не больше 200 знаков.")
	if !strings.Contains(body, "Тег «"+strings.Repeat("ж", 40)+"…»: ") {
		t.Error("the tag's refusal does not name the tag in Russian")
	}
	code, body = c.post("/newsroom/sections/", url.Values{"name": {" "}})
	expect("a section without a name", code, http.StatusUnprocessableEntity, body, "Нужно название.")
	code, body = c.post("/newsroom/account/", url.Values{"current": {password}, "password": {"short"}})
	expect("a short password", code, http.StatusUnprocessableEntity, body, "Пароль должен быть не короче 10 знаков.")

	// The front page's pins.
	live := f.article(t, ed, news.StatusPublished, "Budget passes")
	if code, _ := c.post("/newsroom/front/", url.Values{"slot": {"1"}, "article": {live.Slug}}); code != http.StatusSeeOther {
		t.Fatalf("pin: %d", code)
	}
	_, body = c.get("/newsroom/front/?done=pinned")
	expect("pinned", http.StatusOK, http.StatusOK, body, "Закреплено. Материал уже на главной странице.")
	c.post("/newsroom/front/", url.Values{"slot": {"1"}, "unpin": {"1"}})
	_, body = c.get("/newsroom/front/?done=unpinned")
	expect("unpinned", http.StatusOK, http.StatusOK, body, "Место освобождено.")
	if !strings.Contains(body, "<title>Главная страница | Редакция</title>") {
		t.Error("the front page screen's title is not in Russian")
	}

	// Two saves from the same version: the second is a conflict.
	v = form(a, "save")
	if code, _ := c.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v); code != http.StatusSeeOther {
		t.Fatalf("save: %d", code)
	}
	v.Set("title", "Water talks resume")
	code, body = c.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v)
	expect("a conflict", code, http.StatusConflict, body, "Ваши изменения не сохранены")
	code, body = c.postWith(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v, http.Header{"X-Autosave": {"1"}})
	expect("an autosave's conflict", code, http.StatusConflict, body, "Пока статья была у вас открыта, её сохранил кто-то другой.")

	// Autosave refuses live articles, in JSON.
	code, body = c.postWith(fmt.Sprintf("/newsroom/articles/%d/", live.ID), form(live, "save"), http.Header{"X-Autosave": {"1"}})
	expect("autosaving a live article", code, http.StatusConflict, body, "Опубликованные статьи не сохраняются автоматически")

	// Missing pages, the newsroom's own and an article's.
	code, body = c.get("/newsroom/no-such-screen")
	expect("a missing screen", code, http.StatusNotFound, body, "В редакции нет такой страницы.")
	code, body = c.get("/newsroom/articles/999999/")
	expect("a missing article", code, http.StatusNotFound, body, "Этого здесь больше нет.")
}

// multipart posts a file named name (none when name is "") to path as c,
// with the headers h, and returns the status and body.
func (c *client) multipart(path, name string, data []byte, h http.Header) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipartpkg.NewWriter(&body)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req, h)
}

// Before anyone signs in, their own choice of language is not known: the
// sign-in page, a refused sign-in and a dead preview link speak the
// language the browser asks for, and English to a browser that asks for
// none the newsroom has.
func TestSignedOutPagesInTheBrowsersLanguage(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"))
	get := func(method, path, lang string, form url.Values) (int, string) {
		t.Helper()
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		req, err := http.NewRequest(method, f.srv.URL+path, body)
		must(t, err)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", f.srv.URL)
		}
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	cases := []struct {
		what, method, path, lang string
		form                     url.Values
		code                     int
		want                     []string
	}{
		{"sign-in page, Russian browser", "GET", "/newsroom/signin", "ru-RU,ru;q=0.9,en;q=0.8", nil, 200, []string{`<html lang="ru"`, "Вход"}},
		{"sign-in page, German browser", "GET", "/newsroom/signin", "de-DE,de;q=0.9", nil, 200, []string{`<html lang="en"`, "Sign in"}},
		{"refused sign-in, Russian browser", "POST", "/newsroom/signin", "ru", url.Values{"email": {"nobody@example.com"}, "password": {"wrong password here"}}, 401,
			[]string{`<html lang="ru"`, "Адрес электронной почты и пароль не совпадают."}},
		{"dead preview link, Russian browser", "GET", "/preview/not-a-real-token", "ru", nil, 404, []string{"Эта ссылка для предпросмотра не работает"}},
		{"dead preview link, no preference", "GET", "/preview/not-a-real-token", "", nil, 404, []string{"This preview link does not work"}},
	}
	for _, c := range cases {
		code, body := get(c.method, c.path, c.lang, c.form)
		for _, w := range c.want {
			if code != c.code || !strings.Contains(body, w) {
				t.Errorf("%s: %d, want %d with %q:\n%.600s", c.what, code, c.code, w, body)
			}
		}
	}
}
