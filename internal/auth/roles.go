// Package auth knows who may sign in to the newsroom and what each role
// may do: users, argon2id passwords, sessions, throttled sign-ins and the
// one permission function every newsroom handler asks.
package auth

import (
	"errors"

	"dastan/internal/news"
)

// Role is what a user may do in the newsroom.
type Role string

// The roles, each able to do all that the one before it can.
const (
	Contributor Role = "contributor" // writes drafts and submits them for review
	Author      Role = "author"      // publishes their own articles
	Editor      Role = "editor"      // edits and publishes anyone's; sections and tags
	Admin       Role = "admin"       // also users and settings
)

// Roles lists every role, least to most powerful.
var Roles = []Role{Contributor, Author, Editor, Admin}

// ValidRole reports whether r names a role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if string(x) == r {
			return true
		}
	}
	return false
}

// StatusPending is an article a contributor has submitted for review.
// Readers never see it.
const StatusPending news.Status = "pending"

// Action is something a user asks to do.
type Action string

// The actions the newsroom checks.
const (
	Create         Action = "create"          // start an article
	View           Action = "view"            // open an article in the editor, its revisions and preview
	Edit           Action = "edit"            // save changes to an article
	Submit         Action = "submit"          // send an article for review
	Publish        Action = "publish"         // publish, schedule or unpublish
	Delete         Action = "delete"          // move to the trash, or restore from it
	ManageTaxonomy Action = "manage-taxonomy" // sections, tags and redirects
	UploadMedia    Action = "upload-media"    // add images to the shared media library
	ManageMedia    Action = "manage-media"    // change the words of any library image, or delete one
	ManageUsers    Action = "manage-users"    // users and roles
	ViewAudit      Action = "view-audit"      // the audit log
	ManageTokens   Action = "manage-tokens"   // API tokens
	PinFront       Action = "pin-front"       // choose the stories the front page leads with
)

// ErrForbidden is what a service answers when the user's role does not
// allow the action; adapters turn it into a 403. Its text is a sentence
// shown to people.
//
//lint:ignore ST1005 a sentence shown to people as it is
var ErrForbidden = errors.New("Your role does not allow that.")

// User is the signed-in person as permissions see them.
type User struct {
	ID    int64
	Email string
	Name  string
	Role  Role
	Lang  string // the newsroom's language for them; "" is the default
}

// ArticleRef is what a permission needs to know about an article.
type ArticleRef struct {
	Owner  int64       // the user who started it
	Status news.Status // where it stands now
}

// Can reports whether u may do act, on a when the action concerns an
// article. It is the only place permissions are decided.
func Can(u User, act Action, a *ArticleRef) bool {
	own := a != nil && a.Owner != 0 && a.Owner == u.ID
	live := a != nil && a.Status.Live()
	switch u.Role {
	case Admin, Editor:
		switch act {
		case ManageUsers:
			return u.Role == Admin
		case Create, View, Edit, Submit, Publish, Delete, ManageTaxonomy, UploadMedia, ManageMedia, ViewAudit, ManageTokens, PinFront:
			return true
		}
	case Author:
		switch act {
		case Create, UploadMedia:
			return true
		case View, Edit, Submit, Publish, Delete:
			return own
		}
	case Contributor:
		// As in WordPress, contributors do not upload: the library is
		// shared and public, and their work is reviewed before it is.
		switch act {
		case Create:
			return true
		case View:
			return own
		case Edit, Submit, Delete:
			// Once it is live, a contributor's article is the editors'.
			return own && !live
		}
	}
	return false
}
