/*
 * ask.h -- how engine jobs ask their resolver, and the seam their tests use.
 *
 * Jobs that need many questions answered (the MX plan: MX, A, AAAA, PTR, TXT ...) ask through
 * an ask handle. ask_new() binds one to the transport and a resolver server; ask_new_fake()
 * makes one whose answers come from a function the test supplies, delivered when the test
 * calls ask_fake_pump(), so engine tests run on canned wire packets with no sockets and no
 * event loop (DESIGN.md "a fake transport fed with canned wire packets").
 */
#ifndef DNSDECK_ENGINE_ASK_H
#define DNSDECK_ENGINE_ASK_H

#include <stddef.h>
#include "dns/query.h"
#include "net/server.h"
#include "net/transport.h"

struct ask;
struct ask_query;

/**
 * The fake's answer to a question.
 * \param[in] q    the question asked
 * \param[in] arg  as given to ask_new_fake
 * \return a result the fake hands to the asker (ownership passes), e.g. status NET_OK with a
 *         malloc'd wire reply, or status NET_TIMEOUT with no wire.
 */
typedef struct net_result *(*ask_fake_fn)(const struct query_spec *q, void *arg);

/**
 * An asker that sends through the transport to one server.
 * \param[in] net       transport (not owned)
 * \param[in] resolver  the server to ask (copied); normally a recursive resolver
 * \return the asker or NULL when memory runs out. Free with ask_free().
 */
struct ask *ask_new(struct net *net, const struct server *resolver);

/**
 * A fake asker for tests (see the file comment).
 * \return the asker or NULL when memory runs out. Free with ask_free().
 */
struct ask *ask_new_fake(ask_fake_fn fn, void *arg);

/**
 * Ask a question.
 * \param[in] a     the asker
 * \param[in] q     the question (copied)
 * \param[in] done  called once with the result (the callee owns it), never for a cancelled one
 * \param[in] arg   passed to done
 * \return a handle valid until done runs, or NULL when the query could not be started.
 */
struct ask_query *ask_start(struct ask *a, const struct query_spec *q, net_done_fn done, void *arg);

/** Cancel a question that has not been answered: done never runs. */
void ask_cancel(struct ask_query *aq);

/**
 * Deliver the fake's answers to every pending question, including questions asked from
 * within the callbacks, until none is left.
 * \return the number of answers delivered (0 for a real asker).
 */
size_t ask_fake_pump(struct ask *a);

/** The server a real asker sends to (NULL for a fake). */
const struct server *ask_server(const struct ask *a);

/** Free the asker. Pending questions must have been cancelled or answered first. */
void ask_free(struct ask *a);

#endif
