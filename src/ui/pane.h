/*
 * pane.h -- styled text lines and scrollable panes for the curses screen (internal to src/ui/).
 *
 * A pane is a list of lines; a line is a list of segments, each a string with a style. Lines
 * are built from the model (src/ui/view.c) and drawn here with the wide-character ncursesw API,
 * measuring every string in terminal columns (wcwidth), never in bytes. Text shown here is
 * either our own literals or strings that went through the escaper (dns/rrtext.h,
 * dns/escape.h), so it never holds a terminal control; pane_put() still replaces anything
 * unprintable with '?' as a last line of defence.
 *
 * Needs an active curses screen for drawing (pane_put, pane_draw, ...); the builders
 * (pane_line_*, pane_lines_*, pane_builder_*) and the measures (pane_textwidth, pane_char,
 * pane_width_n) work without one.
 */
#ifndef DNSDECK_UI_PANE_H
#define DNSDECK_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>

/** Visual roles; pane_styles_init() maps them to colours or to monochrome attributes. */
enum pane_style {
	PANE_NORMAL = 0,
	PANE_LABEL,     /**< a field name ("server", "flags") */
	PANE_VALUE,     /**< a field value */
	PANE_ON,        /**< a header flag that is set */
	PANE_OFF,       /**< a header flag that is clear */
	PANE_OK,        /**< a good outcome (NOERROR, a reply) */
	PANE_WARN,      /**< worth a look (NXDOMAIN, TC, discarded datagrams) */
	PANE_ERR,       /**< a failure (timeout, SERVFAIL, REFUSED, malformed) */
	PANE_ALERT,     /**< the banner line of a failure */
	PANE_HEADING,   /**< a section heading ("ANSWER (2)") */
	PANE_DIM,       /**< secondary text */
	PANE_OWNER,     /**< owner name column */
	PANE_TYPE,      /**< RR type column */
	PANE_BAR,       /**< a pane's title bar */
	PANE_BAR_FOCUS, /**< the focused pane's title bar */
	PANE_STATUS,    /**< the status line */
	PANE_KEY,       /**< a key name in the hints and in the help */
	PANE_TAB,       /**< a server tab */
	PANE_TAB_SEL,   /**< the selected server tab */
	PANE_CHANGED,   /**< changed since the previous reply (added RR, TTL reset) */
	PANE_NSTYLES
};

/** One run of text in one style. */
struct pane_seg {
	char *text; /**< owned; printable ASCII or our own UTF-8 literals */
	int style;  /**< enum pane_style */
};

/** One screen line. */
struct pane_line {
	struct pane_seg *segs;
	size_t nsegs;
	size_t cap;
	int width; /**< total width in columns */
};

/** The lines of a pane. */
struct pane_lines {
	struct pane_line *v;
	size_t n;
	size_t cap;
	int maxwidth; /**< widest line in columns */
	int frozen;   /**< columns on the left that stay put when scrolled sideways (the owner,
	                   TTL, class and type columns); 0 = the whole line scrolls */
};

/** A scrollable pane: its lines and where it is scrolled to. */
struct pane {
	struct pane_lines lines;
	int top;  /**< first line shown */
	int hoff; /**< columns scrolled to the right */
	int h;    /**< rows it had at the last draw (the page size) */
	int w;    /**< columns it had at the last draw */
};

/**
 * Choose the attributes of every style. Call after start_color() when colours are used.
 * \param[in] colour  use colour pairs (has_colors()); otherwise bold/reverse/dim/underline
 * \param[in] utf8    the locale's codeset is UTF-8 (pane_glyph() may return non-ASCII)
 */
void pane_styles_init(bool colour, bool utf8);

/** Glyphs with an ASCII fallback. */
enum pane_glyph {
	PANE_G_ARROW = 0, /**< "→" or "->" */
	PANE_G_ELLIPSIS,  /**< "…" or "..." */
	PANE_G_FOCUS,     /**< "▶" or ">" */
	PANE_G_SEP,       /**< "│" or "|" */
	PANE_G_CROSS      /**< "✗" or "x" */
};

/** \return the glyph for the current locale (a static string). */
const char *pane_glyph(enum pane_glyph g);

/** \return true when pane_styles_init() was told the locale's codeset is UTF-8. */
bool pane_utf8_on(void);

/**
 * Width of a string in terminal columns (multibyte aware; an unprintable or undecodable
 * character counts as one column, as pane_put() draws it as '?').
 */
int pane_textwidth(const char *s);

/**
 * Bytes and columns of the character at s, which must not be empty. A byte that does not
 * decode, or a character without a width, counts as one byte of one column, as
 * pane_textwidth() counts it.
 * \param[in]  s  a NUL-terminated string
 * \param[out] w  the character's columns (1 or more)
 * \return the character's length in bytes (1 or more).
 */
size_t pane_char(const char *s, int *w);

/**
 * Columns of the first n bytes of s (all of s when it is shorter), measured as pane_textwidth()
 * measures a copy of them: a character that n cuts counts as its bytes, one column each.
 * \param[in] s  a NUL-terminated string
 * \param[in] n  bytes to measure
 * \return the width in columns.
 */
int pane_width_n(const char *s, size_t n);

/**
 * Format a duration for display: "-" when it is negative (not measured), one decimal under
 * 10 ms ("2.5 ms"), whole milliseconds from there on ("31 ms").
 * \param[out] buf  the text, NUL-terminated and truncated to len bytes
 * \param[in]  len  size of buf in bytes
 * \param[in]  ms   the duration in milliseconds
 */
void pane_ms(char *buf, size_t len, double ms);

/**
 * Append a formatted segment to a line.
 * \return 0, or -1 when memory runs out (the line is unchanged).
 */
int pane_line_add(struct pane_line *l, int style, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Append text padded with blanks to width columns (never truncated).
 * \param[in] right  align right instead of left
 * \return 0, or -1 when memory runs out.
 */
int pane_line_addw(struct pane_line *l, int style, int width, bool right, const char *text);

/** Free the segments of a line (the struct is the caller's). */
void pane_line_clear(struct pane_line *l);

/**
 * Append an empty line.
 * \return the new line, or NULL when memory runs out.
 */
struct pane_line *pane_lines_add(struct pane_lines *ls);

/** Recompute maxwidth after lines were filled. */
void pane_lines_measure(struct pane_lines *ls);

/** Free every line. */
void pane_lines_clear(struct pane_lines *ls);

struct pane_builder;

/**
 * How a view appends a line to its builder's lines, so that the view can keep its own record
 * of each line (what the line shows) beside it.
 * \param[in] b    the builder
 * \param[in] ctx  what the caller of pane_builder_wrap() passed along (the record a
 *                 continuation line shares with the line it continues), or NULL
 * \return the new empty line, or NULL when memory runs out (b->err set).
 */
typedef struct pane_line *(*pane_newline_fn)(struct pane_builder *b, const void *ctx);

/**
 * Fills lines for a pane of a known width and remembers running out of memory, so that a view
 * can add a whole screen and check once at the end. A view that keeps a record per line embeds
 * this as the first member of its own builder and sets newline. The add and wrap functions do
 * nothing with a NULL line, so a line that could not be appended need not be checked on the
 * spot.
 */
struct pane_builder {
	struct pane_lines *out;  /**< the lines being filled (the caller's) */
	int width;               /**< columns to wrap to (1 or more) */
	int err;                 /**< 0; -1 once memory has run out (it stays -1) */
	pane_newline_fn newline; /**< appends a continuation line; NULL: pane_builder_line() */
};

/**
 * Set up a builder that fills out.
 * \param[out] b        the builder (the caller's storage)
 * \param[in]  out      the lines to fill; they stay the caller's
 * \param[in]  width    columns to wrap to; less than 1 counts as 1
 * \param[in]  newline  how continuation lines are appended, or NULL for pane_builder_line()
 */
void pane_builder_init(struct pane_builder *b, struct pane_lines *out, int width,
                       pane_newline_fn newline);

/**
 * Append an empty line to b->out.
 * \return the line, or NULL when memory runs out (b->err set).
 */
struct pane_line *pane_builder_line(struct pane_builder *b);

/**
 * Append a formatted segment to l, as pane_line_add() does; on running out of memory set
 * b->err instead of returning it. Does nothing when l is NULL.
 */
void pane_builder_add(struct pane_builder *b, struct pane_line *l, int style, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/**
 * Append text padded to width columns to l, as pane_line_addw() does (NULL text: blanks
 * only); on running out of memory set b->err. Does nothing when l is NULL.
 */
void pane_builder_addw(struct pane_builder *b, struct pane_line *l, int style, int width,
                       bool right, const char *text);

/**
 * Append text to l, wrapped at blanks to b->width. Each continuation line comes from
 * b->newline with ctx and starts with indent blanks. A word wider than a whole line is broken
 * at a character boundary; on a pane narrower than indent + 12 columns the text runs past the
 * edge rather than one letter a line. Runs of blanks between words become one.
 * \param[in] l       the line to continue (NULL: nothing happens)
 * \param[in] indent  columns of blanks that start a continuation line
 * \param[in] style   style of the text
 * \param[in] text    the text (NULL: none)
 * \param[in] ctx     passed to b->newline for each continuation line
 * \return the line the text ended on; NULL when l was NULL or memory ran out (b->err set).
 */
struct pane_line *pane_builder_wrap(struct pane_builder *b, struct pane_line *l, int indent,
                                    int style, const char *text, const void *ctx);

/**
 * Draw a string at (y, x), skipping its first skip columns and drawing at most maxw columns.
 * \return the columns drawn.
 */
int pane_put(int y, int x, int maxw, int skip, int style, const char *s);

/** Fill w columns at (y, x) with blanks in a style. */
void pane_fill(int y, int x, int w, int style);

/**
 * Draw a line at (y, x) within w columns: its first frozen columns as they are, the rest
 * scrolled hoff columns to the right.
 * \param[in] base  style for the blank rest of the row (PANE_NORMAL or a bar style); segments
 *                  in PANE_NORMAL take this style too
 */
void pane_draw_line(int y, int x, int w, int hoff, int frozen, const struct pane_line *l, int base);

/** The frozen width a pane uses in w columns (none when it would leave too little room). */
int pane_frozen(const struct pane_lines *ls, int w);

/** Clamp a pane's top and hoff to its lines for a viewport of h rows and w columns. */
void pane_clamp(struct pane *p, int h, int w);

/** Draw a pane's visible lines into the h x w rectangle at (y, x) (clamping first). */
void pane_draw(struct pane *p, int y, int x, int h, int w);

/** Scroll a pane by n lines (negative: up); clamped at the next draw. */
void pane_scroll(struct pane *p, int n);

/** Free a pane's lines and reset its scroll position. */
void pane_reset(struct pane *p);

#endif
