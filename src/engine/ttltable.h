/*
 * ttltable.h -- every RRset a session has received, with its countdown (the TTL pane).
 *
 * Each reply's RRsets (answer, authority and additional sections; OPT and TSIG are not data)
 * are entered under (server, owner, type, class): a later reply from the same server replaces
 * the entry, so the table holds what each server last said about each RRset. A negative
 * answer (NXDOMAIN or NODATA) is entered for the question's name and type with the RFC 2308
 * §5 negative TTL. Entries are kept sorted by expiry (arrival + TTL). All text is escaped
 * presentation format. The table never talks to the network: the session feeds it.
 */
#ifndef DNSDECK_ENGINE_TTLTABLE_H
#define DNSDECK_ENGINE_TTLTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ldns/ldns.h>

/** The most entries a table keeps; beyond it, the entry expiring first is dropped. */
#define TTLTABLE_MAX 20000

/** One RRset as one server last sent it. */
struct ttl_entry {
	char *owner;       /**< owner name (escaped presentation) */
	char type[24];     /**< "MX", "TYPE65534" */
	char klass[16];    /**< "IN" */
	char server[64];   /**< who sent it, "127.0.53.53#53" */
	char *rdata;       /**< the RRset's rdata, compact (escaped); "NXDOMAIN" / "NODATA" for
	                        a negative entry */
	uint32_t ttl;      /**< TTL as received, seconds (the RRset's smallest) */
	int64_t rx_ms;     /**< when the reply arrived (monotonic ms) */
	int64_t expiry_ms; /**< rx_ms + ttl seconds */
	bool negative;     /**< an RFC 2308 negative answer */
};

struct ttl_table;

/** A new, empty table, or NULL when memory runs out. Free with ttl_table_free(). */
struct ttl_table *ttl_table_new(void);

/** Free the table. NULL is a no-op. */
void ttl_table_free(struct ttl_table *t);

/**
 * Enter every RRset of a reply.
 * \param[in] t       the table
 * \param[in] server  who sent it ("127.0.53.53#53"; escaped printable text, copied)
 * \param[in] pkt     the reply (read only)
 * \param[in] rx_ms   when it arrived (monotonic ms)
 * \return the number of entries added or replaced, or -1 when memory runs out.
 */
int ttl_table_add(struct ttl_table *t, const char *server, const ldns_pkt *pkt, int64_t rx_ms);

/** Number of entries. */
size_t ttl_table_count(const struct ttl_table *t);

/** Entry i in order of expiry, soonest first (0 <= i < count), or NULL. */
const struct ttl_entry *ttl_table_at(const struct ttl_table *t, size_t i);

#endif
