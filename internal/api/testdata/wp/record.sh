#!/bin/sh
# record.sh — re-record the WordPress REST answers in this folder from a
# real WordPress, Debian's `wordpress` package (6.1.x on bookworm).
#
# Run it by hand, as root, on a throwaway Debian 12 machine:
#
#   sh internal/api/testdata/wp/record.sh            # install packages too
#   NO_INSTALL=1 sh internal/api/testdata/wp/record.sh
#
# It is never run by the tests or CI. What it does:
#   1. apt-get installs wordpress, php-cli, php-mysql, php-gd and
#      mariadb-server (unless NO_INSTALL=1).
#   2. Starts a private MariaDB (its own data folder in a temporary
#      directory, Unix socket only, no TCP) and creates the database
#      `wordpress` and its user.
#   3. Writes /etc/wordpress/config-127.0.0.1.php, the host config
#      Debian's /usr/share/wordpress/wp-config.php reads for 127.0.0.1.
#   4. Installs WordPress with wp_install() and creates content with
#      WordPress's own functions (wp_insert_term, wp_insert_user,
#      media_handle_sideload, wp_insert_post, stick_post): a category
#      with a parent, two tags, an author besides the admin, a post with
#      a featured image and a revision, and a sticky post.
#   5. Serves WordPress with PHP's built-in server on 127.0.0.1:$PORT and
#      records the answers with curl, pretty-printed by jq.
#   6. Stops MariaDB and the PHP server, and removes the host config.
#
# No plugins, default theme, anonymous requests (view context).
set -eu

PORT=${PORT:-8089}
OUT=$(cd "$(dirname "$0")" && pwd)
WP=/usr/share/wordpress
CONF=/etc/wordpress/config-127.0.0.1.php
TMP=$(mktemp -d)
SOCK=$TMP/mysqld.sock
DBPID= PHPPID=

cleanup() {
	[ -n "$PHPPID" ] && kill "$PHPPID" 2>/dev/null || true
	[ -n "$DBPID" ] && kill "$DBPID" 2>/dev/null || true
	[ -n "$DBPID" ] && while kill -0 "$DBPID" 2>/dev/null; do sleep 0.2; done
	rm -f "$CONF"
	rm -rf "$TMP" /var/lib/wordpress/wp-content/uploads/dastan-recording
}
trap cleanup EXIT INT TERM

if [ -z "${NO_INSTALL:-}" ]; then
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		wordpress php-cli php-mysql php-gd mariadb-server curl jq
fi

# A private MariaDB: nothing listens on the network.
mariadb-install-db --no-defaults --user=root --datadir="$TMP/db" \
	--auth-root-authentication-method=socket >"$TMP/db-install.log" 2>&1
mariadbd --no-defaults --user=root --datadir="$TMP/db" --socket="$SOCK" \
	--skip-networking --pid-file="$TMP/mysqld.pid" >"$TMP/mysqld.log" 2>&1 &
DBPID=$!
i=0
until [ -S "$SOCK" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { cat "$TMP/mysqld.log"; exit 1; }
	sleep 0.2
done
mariadb --no-defaults --socket="$SOCK" -uroot <<SQL
CREATE DATABASE wordpress CHARACTER SET utf8mb4;
CREATE USER 'wordpress'@'localhost' IDENTIFIED BY 'recording';
GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';
SQL

cat >"$CONF" <<PHP
<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', 'recording');
define('DB_HOST', 'localhost:$SOCK');
define('WP_HOME', 'http://127.0.0.1:$PORT');
define('WP_SITEURL', 'http://127.0.0.1:$PORT');
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
PHP

# Install, then create the content, with WordPress's own functions.
cat >"$TMP/install.php" <<'PHP'
<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require ABSPATH . 'wp-admin/includes/upgrade.php';
add_filter('pre_wp_mail', '__return_false'); // no mail on this machine
wp_install('Dastan recording', 'desk', 'desk@example.org', true, '', 'recording-only');
PHP
cat >"$TMP/content.php" <<'PHP'
<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/media.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
function must($v) { if (is_wp_error($v) || !$v) { fwrite(STDERR, print_r($v, true)); exit(1); } return $v; }

update_option('timezone_string', 'Asia/Almaty');
update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');
flush_rewrite_rules();
wp_delete_post(1, true); // Hello world!
wp_delete_post(2, true); // Sample Page
wp_delete_post(3, true); // Privacy Policy draft

$desk = 1;
wp_update_user(['ID' => $desk, 'display_name' => 'News Desk', 'description' => 'The newsroom desk.']);
$author = must(wp_insert_user([
	'user_login' => 'aigerim', 'user_pass' => wp_generate_password(),
	'user_email' => 'aigerim@example.org', 'display_name' => 'Aigerim Sadykova',
	'user_nicename' => 'aigerim-sadykova', 'role' => 'author',
	'user_url' => 'https://example.org/aigerim', 'description' => 'Economy correspondent.',
]));

$news = must(wp_insert_term('News', 'category', ['description' => 'All news.']));
$kz = must(wp_insert_term('Kazakhstan', 'category', ['parent' => $news['term_id']]));
$banking = must(wp_insert_term('Banking', 'post_tag'));
$inflation = must(wp_insert_term('Inflation', 'post_tag', ['description' => 'Prices.']));

$featured = must(wp_insert_post([
	'post_title' => 'National Bank holds the base rate', 'post_status' => 'publish',
	'post_author' => $author, 'post_date' => '2026-03-25 14:00:00',
	'post_excerpt' => 'The regulator kept the rate for a third meeting.',
	'post_content' => "<!-- wp:paragraph -->\n<p>The National Bank kept its base rate. <a href=\"/about/\">About us</a>.</p>\n<!-- /wp:paragraph -->",
	'post_category' => [$kz['term_id']],
	'tags_input' => ['Banking', 'Inflation'],
], true));
// A second save gives the post a revision (and WordPress's version links).
must(wp_update_post(['ID' => $featured, 'post_content' => get_post($featured)->post_content . "\n<!-- wp:paragraph -->\n<p>Updated.</p>\n<!-- /wp:paragraph -->"], true));

// The author uploads the image, as in the admin: media then has an author.
wp_set_current_user($author);
$png = wp_tempnam('almaty-square.png');
$im = imagecreatetruecolor(1200, 800);
imagefill($im, 0, 0, imagecolorallocate($im, 40, 90, 160));
imagepng($im, $png);
$media = must(media_handle_sideload(['name' => 'almaty-square.png', 'tmp_name' => $png], $featured,
	'A square in Almaty', ['post_excerpt' => 'Republic Square, Almaty.']));
update_post_meta($media, '_wp_attachment_image_alt', 'A square in Almaty');
set_post_thumbnail($featured, $media);

$sticky = must(wp_insert_post([
	'post_title' => 'Editor’s note: how we cover the economy', 'post_status' => 'publish',
	'post_author' => $desk, 'post_date' => '2026-03-24 09:30:00',
	'post_content' => '<p>A note from the desk.</p>',
	'post_category' => [$news['term_id']], 'tags_input' => ['Banking'],
], true));
stick_post($sticky);
must(wp_insert_post([
	'post_title' => 'About us', 'post_name' => 'about', 'post_status' => 'publish', 'post_type' => 'page',
	'post_author' => $desk, 'post_date' => '2026-03-20 10:00:00',
	'post_content' => '<p>The Times of Central Asia is an independent newsroom.</p>',
], true));
echo $featured, "\n";
PHP

php "$TMP/install.php" >"$TMP/install.log"
FEATURED=$(php "$TMP/content.php")

php -S "127.0.0.1:$PORT" -t "$WP" >"$TMP/php.log" 2>&1 &
PHPPID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$PORT/wp-json/"; do
	i=$((i + 1)); [ $i -gt 50 ] && { cat "$TMP/php.log"; exit 1; }
	sleep 0.2
done

get() { # get FILE PATH: record one answer, whatever its status
	curl -sS "http://127.0.0.1:$PORT$2" | jq . >"$OUT/$1"
	echo "recorded $2 -> $1"
}
get posts.json '/wp-json/wp/v2/posts?per_page=2'
get post.json "/wp-json/wp/v2/posts/$FEATURED"
get categories.json /wp-json/wp/v2/categories
get tags.json /wp-json/wp/v2/tags
get users.json /wp-json/wp/v2/users
get media.json /wp-json/wp/v2/media
get error-per-page.json '/wp-json/wp/v2/posts?per_page=1000'
get pages.json /wp-json/wp/v2/pages
get types.json /wp-json/wp/v2/types
get taxonomies.json /wp-json/wp/v2/taxonomies
get statuses.json /wp-json/wp/v2/statuses
php -r 'require "/usr/share/wordpress/wp-includes/version.php"; echo "WordPress $wp_version\n";'
