// client.js drives wpapi, the common JavaScript client of WordPress's
// REST API, against a running Dastan: discovery from the site's address,
// reads, and (given an Application Password) writes. The Go test
// (../../wpapi_test.go) starts the server, runs this with node and reads
// the JSON lines it prints; any failed expectation exits non-zero.
//
//   node client.js SITE_URL EXPECT_JSON
'use strict';

const assert = require('assert');
const WPAPI = require('wpapi');

const site = process.argv[2];
const expect = JSON.parse(process.argv[3] || '{}');

function report(step, value) {
	console.log(JSON.stringify({ step, value }));
}

async function main() {
	const wp = await WPAPI.discover(site);
	assert.ok(wp, 'discover gave no client');
	report('discovered', wp._options.endpoint);
	assert.strictEqual(wp._options.endpoint, site + '/wp-json/');

	// Reads: paging totals, filters, ids, slugs.
	const first = await wp.posts().perPage(5).get();
	assert.strictEqual(first.length, 5);
	assert.ok(first._paging.total >= expect.posts, `total ${first._paging.total}`);
	assert.strictEqual(first._paging.totalPages, Math.ceil(first._paging.total / 5));
	const second = await first._paging.next.get();
	assert.strictEqual(second.length, 5);
	assert.notStrictEqual(second[0].id, first[0].id);
	report('paged', { total: first._paging.total, pages: first._paging.totalPages });

	const byID = await wp.posts().id(first[0].id).get();
	assert.strictEqual(byID.title.rendered, first[0].title.rendered);
	const bySlug = await wp.posts().slug(first[0].slug).get();
	assert.strictEqual(bySlug.length, 1);
	assert.strictEqual(bySlug[0].id, first[0].id);

	const cats = await wp.categories().perPage(100).get();
	const cat = cats.find((c) => c.slug === expect.category);
	assert.ok(cat, `category ${expect.category} in ${cats.map((c) => c.slug)}`);
	const inCat = await wp.posts().categories(cat.id).perPage(100).get();
	assert.ok(inCat.length > 0);
	inCat.forEach((p) => assert.ok(p.categories.includes(cat.id), `post ${p.id} lacks category ${cat.id}`));
	const tags = await wp.tags().slug(expect.tag).get();
	assert.strictEqual(tags.length, 1);
	const tagged = await wp.posts().tags(tags[0].id).get();
	tagged.forEach((p) => assert.ok(p.tags.includes(tags[0].id)));
	report('filtered', { category: cat.id, inCategory: inCat.length, tag: tags[0].id, tagged: tagged.length });

	const embedded = await wp.posts().perPage(1).embed().get();
	assert.ok(embedded[0]._embedded.author, 'no embedded author');
	const users = await wp.users().get();
	assert.ok(users.length > 0);
	report('reads', 'ok');

	if (!expect.username) {
		return;
	}
	// Writes, signed in with an Application Password as WordPress 5.6+.
	wp.auth({ username: expect.username, password: expect.password });
	const tag = await wp.tags().create({ name: 'Budget' });
	assert.strictEqual(tag.slug, 'budget');
	const created = await wp.posts().create({
		title: 'Tokayev signs the budget',
		content: '<p>The president signed the budget.</p>',
		status: 'publish',
		categories: [cat.id],
		tags: [tag.id],
	});
	assert.strictEqual(created.status, 'publish');
	assert.deepStrictEqual(created.categories, [cat.id]);
	assert.deepStrictEqual(created.tags, [tag.id]);
	const updated = await wp.posts().id(created.id).update({ title: 'Tokayev signs the 2027 budget', modified_gmt: created.modified_gmt });
	assert.strictEqual(updated.title.rendered, 'Tokayev signs the 2027 budget');
	let conflict;
	try {
		await wp.posts().id(created.id).update({ title: 'Stale', modified_gmt: '2020-01-01T00:00:00' });
	} catch (err) {
		conflict = err;
	}
	assert.ok(conflict && conflict.code === 'rest_post_conflict', `stale update: ${JSON.stringify(conflict)}`);
	const png = Buffer.from(expect.png, 'base64');
	const media = await wp.media().file(png, 'budget.png').create({ alt_text: 'A budget' });
	assert.ok(media.id > 0 && media.source_url, JSON.stringify(media));
	const withImage = await wp.posts().id(created.id).update({ featured_media: media.id });
	assert.strictEqual(withImage.featured_media, media.id);
	const publicView = await WPAPI.site(wp._options.endpoint).posts().id(created.id).get();
	assert.strictEqual(publicView.title.rendered, 'Tokayev signs the 2027 budget');
	const trashed = await wp.posts().id(created.id).delete();
	assert.strictEqual(trashed.status, 'trash');
	report('writes', { post: created.id, tag: tag.id, media: media.id });
}

main().then(() => report('done', true), (err) => {
	console.error(err && (err.stack || err));
	if (err && err.data) console.error(JSON.stringify(err.data));
	process.exit(1);
});
