/*
 * escape.h -- the one escaper for untrusted bytes.
 *
 * Every byte that came off the network (owner names, rdata text, EDNS option payloads, SMTP
 * banners) passes through this module before it reaches the terminal or JSON. The output is
 * plain printable ASCII: bytes 0x20..0x7E are kept, every other byte (C0 controls such as TAB,
 * BEL and ESC, DEL, C1 controls, and every byte >= 0x80, so also invalid UTF-8) becomes "\DDD"
 * with three decimal digits, as dig prints it (RFC 1035 §5.1 presentation escapes).
 * ldns' own printers let TAB through and depend on the locale, so their text is escaped here too.
 * Because the output is ASCII it is always valid UTF-8 and never contains a terminal control.
 *
 * Two entry points differ in one byte: esc_bytes/esc_str/esc_buf keep '\' because they are
 * applied to ldns presentation text, where ldns already wrote a literal backslash as "\\";
 * esc_raw escapes '\' too (as \092), for raw payloads that never went through ldns (EDNS
 * option data, later SMTP banners), so a server cannot forge an escape such as "\027".
 */
#ifndef DNSDECK_DNS_ESCAPE_H
#define DNSDECK_DNS_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

/**
 * Escape a byte buffer.
 * \param[in] buf  bytes to escape (may contain NUL); may be NULL when len is 0
 * \param[in] len  number of bytes in buf
 * \return a newly allocated NUL-terminated ASCII string (caller frees with free()),
 *         or NULL when memory runs out.
 */
char *esc_bytes(const void *buf, size_t len);

/**
 * Escape a NUL-terminated string (see esc_bytes).
 * \param[in] s  the string; NULL is treated as ""
 * \return a newly allocated escaped string (caller frees), or NULL when memory runs out.
 */
char *esc_str(const char *s);

/**
 * Escape into a caller's buffer, truncating at a character boundary (never splits a \DDD).
 * \param[out] dst     destination, always NUL-terminated when dstlen > 0
 * \param[in]  dstlen  size of dst in bytes
 * \param[in]  buf     bytes to escape
 * \param[in]  len     number of bytes in buf
 * \return the length the full escaped text needs, excluding the NUL (like snprintf), so a
 *         return value >= dstlen means the output was truncated.
 */
size_t esc_buf(char *dst, size_t dstlen, const void *buf, size_t len);

/**
 * Escape raw bytes that did not come through an ldns printer: like esc_bytes, and '\'
 * becomes \092 as well.
 * \param[in] buf  bytes to escape; may be NULL when len is 0
 * \param[in] len  number of bytes
 * \return a newly allocated ASCII string (caller frees), or NULL when memory runs out.
 */
char *esc_raw(const void *buf, size_t len);

#endif
