/*
 * pane.c -- styled lines and scrollable panes drawn with the wide ncursesw API (see pane.h).
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <curses.h>

#include "ui/pane.h"

/* Colour pair numbers; 0 is the terminal's default. */
enum {
	PAIR_RED = 1,
	PAIR_GREEN,
	PAIR_YELLOW,
	PAIR_CYAN,
	PAIR_BAR,
	PAIR_BAR_FOCUS,
	PAIR_ALERT,
	PAIR_TAB_SEL,
	PAIR_BLUE
};

struct pane_attr {
	attr_t attr;
	short pair;
};

static struct pane_attr pane_attrs[PANE_NSTYLES];
static bool pane_utf8;

void pane_styles_init(bool colour, bool utf8)
{
	struct pane_attr *a = pane_attrs;

	pane_utf8 = utf8;
	memset(pane_attrs, 0, sizeof(pane_attrs));
	if (colour) {
		/* -1 keeps the terminal's own background (use_default_colors). */
		init_pair(PAIR_RED, COLOR_RED, -1);
		init_pair(PAIR_GREEN, COLOR_GREEN, -1);
		init_pair(PAIR_YELLOW, COLOR_YELLOW, -1);
		init_pair(PAIR_CYAN, COLOR_CYAN, -1);
		init_pair(PAIR_BAR, COLOR_BLACK, COLOR_WHITE);
		init_pair(PAIR_BAR_FOCUS, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_ALERT, COLOR_WHITE, COLOR_RED);
		init_pair(PAIR_TAB_SEL, COLOR_BLACK, COLOR_GREEN);
		init_pair(PAIR_BLUE, COLOR_BLUE, -1);
		a[PANE_LABEL] = (struct pane_attr){A_NORMAL, PAIR_CYAN};
		a[PANE_VALUE] = (struct pane_attr){A_BOLD, 0};
		a[PANE_ON] = (struct pane_attr){A_BOLD, PAIR_GREEN};
		a[PANE_OFF] = (struct pane_attr){A_DIM, 0};
		a[PANE_OK] = (struct pane_attr){A_BOLD, PAIR_GREEN};
		a[PANE_WARN] = (struct pane_attr){A_BOLD, PAIR_YELLOW};
		a[PANE_ERR] = (struct pane_attr){A_BOLD, PAIR_RED};
		a[PANE_ALERT] = (struct pane_attr){A_BOLD, PAIR_ALERT};
		a[PANE_HEADING] = (struct pane_attr){A_BOLD, PAIR_YELLOW};
		a[PANE_DIM] = (struct pane_attr){A_DIM, 0};
		a[PANE_OWNER] = (struct pane_attr){A_NORMAL, 0};
		a[PANE_TYPE] = (struct pane_attr){A_BOLD, PAIR_CYAN};
		a[PANE_BAR] = (struct pane_attr){A_NORMAL, PAIR_BAR};
		a[PANE_BAR_FOCUS] = (struct pane_attr){A_BOLD, PAIR_BAR_FOCUS};
		a[PANE_STATUS] = (struct pane_attr){A_NORMAL, 0};
		a[PANE_KEY] = (struct pane_attr){A_BOLD, PAIR_CYAN};
		a[PANE_TAB] = (struct pane_attr){A_NORMAL, 0};
		a[PANE_TAB_SEL] = (struct pane_attr){A_BOLD, PAIR_TAB_SEL};
		a[PANE_CHANGED] = (struct pane_attr){A_BOLD | A_REVERSE, PAIR_YELLOW};
	} else {
		a[PANE_LABEL] = (struct pane_attr){A_NORMAL, 0};
		a[PANE_VALUE] = (struct pane_attr){A_BOLD, 0};
		a[PANE_ON] = (struct pane_attr){A_BOLD, 0};
		a[PANE_OFF] = (struct pane_attr){A_DIM, 0};
		a[PANE_OK] = (struct pane_attr){A_BOLD, 0};
		a[PANE_WARN] = (struct pane_attr){A_BOLD | A_UNDERLINE, 0};
		a[PANE_ERR] = (struct pane_attr){A_BOLD | A_UNDERLINE, 0};
		a[PANE_ALERT] = (struct pane_attr){A_BOLD | A_REVERSE, 0};
		a[PANE_HEADING] = (struct pane_attr){A_BOLD | A_UNDERLINE, 0};
		a[PANE_DIM] = (struct pane_attr){A_DIM, 0};
		a[PANE_OWNER] = (struct pane_attr){A_NORMAL, 0};
		a[PANE_TYPE] = (struct pane_attr){A_BOLD, 0};
		a[PANE_BAR] = (struct pane_attr){A_REVERSE, 0};
		a[PANE_BAR_FOCUS] = (struct pane_attr){A_REVERSE | A_BOLD, 0};
		a[PANE_STATUS] = (struct pane_attr){A_NORMAL, 0};
		a[PANE_KEY] = (struct pane_attr){A_BOLD, 0};
		a[PANE_TAB] = (struct pane_attr){A_NORMAL, 0};
		a[PANE_TAB_SEL] = (struct pane_attr){A_REVERSE | A_BOLD, 0};
		a[PANE_CHANGED] = (struct pane_attr){A_REVERSE | A_BOLD, 0};
	}
}

const char *pane_glyph(enum pane_glyph g)
{
	static const char *const utf8[] = {"\u2192", "\u2026", "\u25b6", "\u2502", "\u2717"};
	static const char *const ascii[] = {"->", "...", ">", "|", "x"};

	if ((unsigned)g >= sizeof(ascii) / sizeof(ascii[0]))
		return "?";
	return pane_utf8 ? utf8[g] : ascii[g];
}

bool pane_utf8_on(void)
{
	return pane_utf8;
}

/*
 * Decode the next character of s. Anything that does not decode, or has no width, comes back
 * as '?' of width 1, so a stray byte can never reach the terminal as a control.
 */
static size_t pane_next(const char *s, size_t max, mbstate_t *st, wchar_t *wc, int *w)
{
	size_t n = mbrtowc(wc, s, max, st);

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof(*st));
		*wc = L'?';
		*w = 1;
		return 1;
	}
	*w = wcwidth(*wc);
	if (*w < 0 || (*w == 0 && *wc != 0)) {
		*wc = L'?';
		*w = 1;
	}
	return n;
}

int pane_textwidth(const char *s)
{
	mbstate_t st;
	int total = 0;

	memset(&st, 0, sizeof(st));
	while (s && *s) {
		wchar_t wc;
		int w;

		s += pane_next(s, MB_LEN_MAX, &st, &wc, &w);
		total += w;
	}
	return total;
}

size_t pane_char(const char *s, int *w)
{
	mbstate_t st;
	wchar_t wc;

	memset(&st, 0, sizeof(st));
	return pane_next(s, MB_LEN_MAX, &st, &wc, w);
}

int pane_width_n(const char *s, size_t n)
{
	mbstate_t st;
	size_t k = 0;
	int total = 0;

	memset(&st, 0, sizeof(st));
	while (s && k < n && s[k]) {
		wchar_t wc;
		int w;

		/* Never past n: a character cut there counts as pane_textwidth() counts a copy. */
		k += pane_next(s + k, n - k, &st, &wc, &w);
		total += w;
	}
	return total;
}

void pane_ms(char *buf, size_t len, double ms)
{
	if (ms < 0)
		snprintf(buf, len, "-");
	else if (ms < 10.0)
		snprintf(buf, len, "%.1f ms", ms);
	else
		snprintf(buf, len, "%.0f ms", ms);
}

static int pane_line_push(struct pane_line *l, int style, char *text)
{
	if (l->nsegs == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct pane_seg *v = realloc(l->segs, cap * sizeof(*v));

		if (!v) {
			free(text);
			return -1;
		}
		l->segs = v;
		l->cap = cap;
	}
	l->segs[l->nsegs].text = text;
	l->segs[l->nsegs].style = style;
	l->nsegs++;
	l->width += pane_textwidth(text);
	return 0;
}

static int pane_line_vadd(struct pane_line *l, int style, const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0)
		return -1;
	return pane_line_push(l, style, text);
}

int pane_line_add(struct pane_line *l, int style, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = pane_line_vadd(l, style, fmt, ap);
	va_end(ap);
	return r;
}

int pane_line_addw(struct pane_line *l, int style, int width, bool right, const char *text)
{
	int tw = pane_textwidth(text);
	int pad = width > tw ? width - tw : 0;
	size_t len = strlen(text);
	char *buf = malloc(len + (size_t)pad + 1);

	if (!buf)
		return -1;
	if (right) {
		memset(buf, ' ', (size_t)pad);
		memcpy(buf + pad, text, len + 1);
	} else {
		memcpy(buf, text, len);
		memset(buf + len, ' ', (size_t)pad);
		buf[len + (size_t)pad] = '\0';
	}
	return pane_line_push(l, style, buf);
}

void pane_line_clear(struct pane_line *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nsegs; i++)
		free(l->segs[i].text);
	free(l->segs);
	memset(l, 0, sizeof(*l));
}

struct pane_line *pane_lines_add(struct pane_lines *ls)
{
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 32;
		struct pane_line *v = realloc(ls->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		ls->v = v;
		ls->cap = cap;
	}
	memset(&ls->v[ls->n], 0, sizeof(ls->v[ls->n]));
	return &ls->v[ls->n++];
}

void pane_lines_measure(struct pane_lines *ls)
{
	ls->maxwidth = 0;
	for (size_t i = 0; i < ls->n; i++)
		if (ls->v[i].width > ls->maxwidth)
			ls->maxwidth = ls->v[i].width;
}

void pane_lines_clear(struct pane_lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		pane_line_clear(&ls->v[i]);
	free(ls->v);
	memset(ls, 0, sizeof(*ls));
}

void pane_builder_init(struct pane_builder *b, struct pane_lines *out, int width,
                       pane_newline_fn newline)
{
	b->out = out;
	b->width = width > 1 ? width : 1;
	b->err = 0;
	b->newline = newline;
}

struct pane_line *pane_builder_line(struct pane_builder *b)
{
	struct pane_line *l = pane_lines_add(b->out);

	if (!l)
		b->err = -1;
	return l;
}

void pane_builder_add(struct pane_builder *b, struct pane_line *l, int style, const char *fmt, ...)
{
	va_list ap;

	if (!l)
		return;
	va_start(ap, fmt);
	if (pane_line_vadd(l, style, fmt, ap) < 0)
		b->err = -1;
	va_end(ap);
}

void pane_builder_addw(struct pane_builder *b, struct pane_line *l, int style, int width,
                       bool right, const char *text)
{
	if (l && pane_line_addw(l, style, width, right, text ? text : "") < 0)
		b->err = -1;
}

/* A continuation line for pane_builder_wrap(): a new line that starts with indent blanks. */
static struct pane_line *pane_builder_continue(struct pane_builder *b, int indent, const void *ctx)
{
	struct pane_line *l = b->newline ? b->newline(b, ctx) : pane_builder_line(b);

	if (!l) {
		b->err = -1;
		return NULL;
	}
	pane_builder_addw(b, l, PANE_NORMAL, indent, false, "");
	return l;
}

struct pane_line *pane_builder_wrap(struct pane_builder *b, struct pane_line *l, int indent,
                                    int style, const char *text, const void *ctx)
{
	int width = b->width;
	const char *s = text ? text : "";

	if (!l)
		return NULL;
	/* On a very narrow pane the text runs past the edge rather than one letter a line. */
	if (width - indent < 12)
		width = indent + 12;
	while (*s) {
		size_t wl;
		int ww, room;
		bool lead;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		wl = strcspn(s, " ");
		ww = pane_width_n(s, wl);
		/* A blank before the word, unless it is the first on its line. */
		lead = l->width > indent;
		room = width - l->width - (lead ? 1 : 0);
		/*
		 * A word that does not fit starts a new line; one wider than any line is broken
		 * where it is, unless too little room is left for that to be worth it.
		 */
		if (ww > room && lead && (ww <= width - indent || room < 4)) {
			l = pane_builder_continue(b, indent, ctx);
			if (!l)
				return NULL;
			lead = false;
			room = width - indent;
		}
		if (ww > room) {
			/* Break the word: as many characters as fit, the rest goes round again. */
			size_t k = 0;
			int cw = 0;

			while (k < wl) {
				int w;
				size_t n = pane_char(s + k, &w);

				if (cw + w > room && k > 0)
					break;
				cw += w;
				k += n;
			}
			pane_builder_add(b, l, style, "%s%.*s", lead ? " " : "", (int)k, s);
			s += k;
			if (*s && *s != ' ') {
				l = pane_builder_continue(b, indent, ctx);
				if (!l)
					return NULL;
			}
			continue;
		}
		pane_builder_add(b, l, style, "%s%.*s", lead ? " " : "", (int)wl, s);
		s += wl;
	}
	return l;
}

static void pane_set_style(int style)
{
	const struct pane_attr *a = &pane_attrs[style >= 0 && style < PANE_NSTYLES ? style : 0];

	attr_set(a->attr, a->pair, NULL);
}

int pane_put(int y, int x, int maxw, int skip, int style, const char *s)
{
	mbstate_t st;
	wchar_t buf[256];
	int nbuf = 0, col = 0, drawn = 0;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || maxw <= 0 || !s)
		return 0;
	if (maxw > COLS - x)
		maxw = COLS - x;
	pane_set_style(style);
	move(y, x);
	memset(&st, 0, sizeof(st));
	while (*s && drawn < maxw) {
		wchar_t wc;
		int w;

		if (nbuf >= (int)(sizeof(buf) / sizeof(buf[0])) - 4) {
			addnwstr(buf, nbuf);
			nbuf = 0;
		}
		s += pane_next(s, MB_LEN_MAX, &st, &wc, &w);
		if (col + w <= skip) {
			col += w;
			continue;
		}
		if (col < skip) {
			/* A wide character cut by the left edge: blank its visible part. */
			int vis = col + w - skip;

			col += w;
			while (vis-- > 0 && drawn < maxw) {
				buf[nbuf++] = L' ';
				drawn++;
			}
			continue;
		}
		if (drawn + w > maxw)
			break;
		buf[nbuf++] = wc;
		drawn += w;
		col += w;
	}
	if (nbuf > 0)
		addnwstr(buf, nbuf);
	pane_set_style(PANE_NORMAL);
	return drawn;
}

void pane_fill(int y, int x, int w, int style)
{
	const struct pane_attr *a = &pane_attrs[style >= 0 && style < PANE_NSTYLES ? style : 0];

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return;
	if (w > COLS - x)
		w = COLS - x;
	attr_set(a->attr, a->pair, NULL);
	mvhline(y, x, ' ', w);
	pane_set_style(PANE_NORMAL);
}

void pane_draw_line(int y, int x, int w, int hoff, int frozen, const struct pane_line *l, int base)
{
	int col = 0;

	if (base != PANE_NORMAL)
		pane_fill(y, x, w, base);
	if (frozen > w)
		frozen = w;
	for (size_t i = 0; l && i < l->nsegs; i++) {
		const struct pane_seg *sg = &l->segs[i];
		int c0 = col, c1 = col + pane_textwidth(sg->text);
		int style = sg->style == PANE_NORMAL ? base : sg->style;
		int start;

		col = c1;
		/* The part in the frozen columns, drawn where it is. */
		if (c0 < frozen)
			pane_put(y, x + c0, (c1 < frozen ? c1 : frozen) - c0, 0, style, sg->text);
		/* The part right of the frozen columns, shifted left by hoff. */
		start = c0 > frozen + hoff ? c0 : frozen + hoff;
		if (start < c1) {
			int dx = frozen + (start - frozen - hoff);

			if (dx >= w)
				break;
			pane_put(y, x + dx, w - dx < c1 - start ? w - dx : c1 - start, start - c0,
			         style, sg->text);
		}
	}
}

int pane_frozen(const struct pane_lines *ls, int w)
{
	return ls->frozen > 0 && ls->frozen <= w * 2 / 3 ? ls->frozen : 0;
}

void pane_clamp(struct pane *p, int h, int w)
{
	int maxtop = (int)p->lines.n - h;
	int maxoff = p->lines.maxwidth - w;

	if (maxtop < 0)
		maxtop = 0;
	if (maxoff < 0)
		maxoff = 0;
	if (p->top > maxtop)
		p->top = maxtop;
	if (p->top < 0)
		p->top = 0;
	if (p->hoff > maxoff)
		p->hoff = maxoff;
	if (p->hoff < 0)
		p->hoff = 0;
	p->h = h;
	p->w = w;
}

void pane_draw(struct pane *p, int y, int x, int h, int w)
{
	pane_clamp(p, h, w);
	for (int i = 0; i < h; i++) {
		size_t li = (size_t)p->top + (size_t)i;

		if (li >= p->lines.n)
			break;
		pane_draw_line(y + i, x, w, p->hoff, pane_frozen(&p->lines, w), &p->lines.v[li],
		               PANE_NORMAL);
	}
}

void pane_scroll(struct pane *p, int n)
{
	long top = (long)p->top + n;

	if (top < 0)
		top = 0;
	if (top > INT_MAX / 2)
		top = INT_MAX / 2;
	p->top = (int)top;
}

void pane_reset(struct pane *p)
{
	pane_lines_clear(&p->lines);
	p->top = 0;
	p->hoff = 0;
}
