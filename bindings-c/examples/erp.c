/*
 * erp.c: what an ERP's invoicing module does with delcredere through its C ABI. Copy it.
 *
 *   1. check that the library loaded is the one the header describes;
 *   2. make an engine from the policy, add a buyer, apply its events as they happen;
 *   3. check the cover of an order line on the hot path (plain numbers, no allocation), and
 *      the same with text, and the explained decision as JSON;
 *   4. read the worklist, keep the engine in a snapshot and restore it;
 *   5. ask questions from several threads at once;
 *   6. run any op by name (JSON in, JSON out);
 *   7. meet every kind of error: the input refused (a typed error with code, field and
 *      message), the call itself wrong (NULL, not UTF-8, a length that lies, a handle that is
 *      foreign, freed or freed twice).
 * Everything the library returns is given back: valgrind finds no leak and no error.
 *
 * Build (from the repository root; bindings-c/test.sh does this):
 *   cargo build -p delcredere-c
 *   gcc -std=c11 -Wall -Wextra -Werror -pthread -I bindings-c/include bindings-c/examples/erp.c \
 *       -L target/debug -ldelcredere_c -Wl,-rpath,"$PWD/target/debug" -o erp
 * or statically:
 *   gcc ... bindings-c/examples/erp.c target/debug/libdelcredere_c.a -lm -ldl -o erp-static
 * Exit status: 0 when every answer is the one expected.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delcredere.h"

#define NUL DELCREDERE_NUL_TERMINATED

static int failures = 0;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static const char *status_name(delcredere_status status) {
    switch (status) {
    case DELCREDERE_STATUS_OK: return "OK";
    case DELCREDERE_STATUS_INPUT_ERROR: return "INPUT_ERROR";
    case DELCREDERE_STATUS_ARGUMENT_ERROR: return "ARGUMENT_ERROR";
    case DELCREDERE_STATUS_INTERNAL_ERROR: return "INTERNAL_ERROR";
    default: return "?";
    }
}

/* Stops on a failure where success was expected: prints the error and gives it back. */
static void must(delcredere_status status, delcredere_error *error, const char *what) {
    if (status == DELCREDERE_STATUS_OK) return;
    fprintf(stderr, "%s: %s %s at '%s': %s\n", what, status_name(status),
            error ? error->code : "?", error ? error->field : "?", error ? error->message : "?");
    delcredere_error_free(error);
    exit(1);
}

/* An error path: the status and code expected, the field when given. Prints the error (what
 * an ERP would log or show) and gives it back. */
static void expect_error(delcredere_status status, delcredere_error *error, delcredere_status want,
                         const char *code, const char *field) {
    CHECK(status == want);
    CHECK(error != NULL);
    if (error == NULL) return;
    printf("  %-15s %-20s %-32s %s\n", status_name(status), error->code, error->field, error->message);
    CHECK(strcmp(error->code, code) == 0);
    if (field != NULL) CHECK(strcmp(error->field, field) == 0);
    delcredere_error_free(error);
}

static const char POLICY[] =
    "{\"currency\": \"EUR\", \"insuranceYear\": {\"start\": \"2026-01-01\"},"
    " \"agreedCountries\": [\"DE\"], \"maxCreditPeriodDays\": 120, \"maxExtensionPeriodDays\": 60,"
    " \"waitingPeriodDays\": 180, \"indemnityPercentage\": \"90\","
    " \"maximumLiability\": {\"amount\": \"1000000\", \"currency\": \"EUR\"},"
    " \"premium\": {\"basis\": \"fixed\", \"fixedAmount\": {\"amount\": \"5000\", \"currency\": \"EUR\"}}}";

static const char BUYER[] =
    "{\"legalName\": \"M\xc3\xbcller GmbH\", \"legalForm\": \"GmbH\", \"country\": \"DE\","
    " \"entityKind\": \"company\"}";

static const char *EVENTS[] = {
    "{\"type\": \"limitApplied\", \"id\": \"l1\", \"date\": \"2026-02-01\","
    " \"requestedAmount\": {\"amount\": \"50000\", \"currency\": \"EUR\"}, \"paymentTermsDays\": 60}",
    "{\"type\": \"limitGranted\", \"id\": \"l2\", \"date\": \"2026-02-05\","
    " \"amount\": {\"amount\": \"50000\", \"currency\": \"EUR\"}}",
    "{\"type\": \"invoiceIssued\", \"id\": \"i1\", \"date\": \"2026-03-01\", \"reference\": \"F-1001\","
    " \"amount\": {\"amount\": \"45000\", \"currency\": \"EUR\"}, \"paymentTermsDays\": 60}",
};

/* Five threads share one engine for questions (see the README, "Threads"). */
struct reader {
    const delcredere_engine *engine;
    uint32_t buyer;
    int32_t day;
    int64_t covered;
    int failed;
};

static void *read_cover(void *arg) {
    struct reader *r = arg;
    for (int i = 0; i < 200; i++) {
        delcredere_cover cover;
        delcredere_error *error = NULL;
        delcredere_status status = delcredere_engine_cover(
            r->engine, r->buyer, 1000000, 2, r->day, 60, 0, DELCREDERE_RECEIVABLE_KIND_GOODS,
            DELCREDERE_PAYMENT_SECURITY_OPEN_ACCOUNT, r->day, &cover, &error);
        if (status != DELCREDERE_STATUS_OK) {
            delcredere_error_free(error);
            r->failed = 1;
            return NULL;
        }
        r->covered = cover.covered_minor;
    }
    return NULL;
}

int main(void) {
    delcredere_error *error = NULL;
    char *json = NULL;
    size_t len = 0;

    /* 1. The library loaded is the one the header describes. */
    if (delcredere_abi_version() != DELCREDERE_ABI_VERSION) {
        fprintf(stderr, "libdelcredere_c has ABI %u, this program was built for %u\n",
                delcredere_abi_version(), DELCREDERE_ABI_VERSION);
        return 1;
    }
    printf("delcredere %s, ABI %u\n", delcredere_version(), delcredere_abi_version());

    /* 2. An engine for the policy; a buyer under the ERP's customer number; its events. */
    delcredere_engine *engine = NULL;
    must(delcredere_engine_new(POLICY, sizeof POLICY - 1, &engine, &error), error, "engine_new");
    uint32_t buyer = 0;
    must(delcredere_engine_add_buyer(engine, "D-1001", NUL, BUYER, NUL, &buyer, &error), error, "add_buyer");
    for (size_t i = 0; i < sizeof EVENTS / sizeof EVENTS[0]; i++)
        must(delcredere_engine_apply(engine, "D-1001", NUL, EVENTS[i], NUL, &error), error, "apply");

    /* 3. The hot path: an order line of 10,000.00 EUR on 2 March 2026, 60 days. */
    int32_t today = 0;
    must(delcredere_day_number("2026-03-02", NUL, &today, &error), error, "day_number");
    delcredere_cover cover;
    must(delcredere_engine_cover(engine, buyer, 1000000, 2, today, 60, 0,
                                 DELCREDERE_RECEIVABLE_KIND_GOODS, DELCREDERE_PAYMENT_SECURITY_OPEN_ACCOUNT,
                                 today, &cover, &error),
         error, "cover");
    printf("cover: %lld.%02lld covered, %lld.%02lld not (limit %lld.%02lld, cover type %u)\n",
           (long long)(cover.covered_minor / 100), (long long)(cover.covered_minor % 100),
           (long long)(cover.uncovered_minor / 100), (long long)(cover.uncovered_minor % 100),
           (long long)(cover.limit_minor / 100), (long long)(cover.limit_minor % 100),
           (unsigned)cover.cover_type);
    CHECK(cover.covered_minor == 500000 && cover.uncovered_minor == 500000 && cover.scale == 2);
    CHECK(cover.cover_type == DELCREDERE_COVER_TYPE_NAMED_LIMIT && cover.has_limit == 1);
    CHECK(cover.overdue == DELCREDERE_OVERDUE_EFFECT_NO_EFFECT);

    /* The same with text, as the ERP may hold it. */
    delcredere_cover same;
    must(delcredere_engine_cover_text(engine, "D-1001", NUL, "10000.00", NUL, "2026-03-02", NUL, 60, 0, 0, 0,
                                      "2026-03-02", NUL, &same, &error),
         error, "cover_text");
    CHECK(memcmp(&same, &cover, sizeof cover) == 0);

    /* The explained decision, as JSON (to show or to store). */
    const char *delivery = "{\"amount\": {\"amount\": \"10000.00\", \"currency\": \"EUR\"},"
                           " \"date\": \"2026-03-02\", \"paymentTermsDays\": 60}";
    must(delcredere_engine_check_cover(engine, "D-1001", NUL, delivery, NUL, "2026-03-02", NUL, &json, &len, &error),
         error, "check_cover");
    printf("decision: %.120s...\n", json);
    CHECK(strstr(json, "\"outcome\":\"partly_covered\"") != NULL);
    delcredere_string_free(json);

    /* 4. The worklist (messages in German), the buyer's account and limit. */
    must(delcredere_engine_obligations(engine, "2026-05-15", NUL, "de", NUL, &json, &len, &error), error, "obligations");
    printf("worklist: %zu bytes of JSON\n", len);
    delcredere_string_free(json);
    must(delcredere_engine_account_state(engine, "D-1001", NUL, "2026-03-02", NUL, &json, NULL, &error), error,
         "account_state");
    delcredere_string_free(json);
    must(delcredere_engine_limit_state(engine, "D-1001", NUL, "2026-03-02", NUL, &json, NULL, &error), error,
         "limit_state");
    delcredere_string_free(json);

    /* Many events at once, in order: a payment of 5,000.00. */
    size_t applied = 0;
    must(delcredere_engine_apply_all(engine,
                                     "[{\"buyer\": \"D-1001\", \"event\": {\"type\": \"paymentReceived\", \"id\": \"p1\","
                                     " \"date\": \"2026-03-02\", \"amount\": {\"amount\": \"5000\", \"currency\": \"EUR\"}}}]",
                                     NUL, &applied, &error),
         error, "apply_all");
    CHECK(applied == 1);

    /* The engine kept across a restart: snapshot, restore, the same snapshot again. */
    char *snapshot = NULL;
    size_t snapshot_len = 0;
    must(delcredere_engine_snapshot(engine, &snapshot, &snapshot_len, &error), error, "snapshot");
    delcredere_engine *restored = NULL;
    must(delcredere_engine_restore(snapshot, snapshot_len, &restored, &error), error, "restore");
    must(delcredere_engine_snapshot(restored, &json, &len, &error), error, "snapshot again");
    CHECK(len == snapshot_len && memcmp(json, snapshot, len) == 0);
    printf("snapshot: %zu bytes, restored to the same engine\n", snapshot_len);
    delcredere_string_free(json);
    delcredere_string_free(snapshot);

    /* 5. Questions from several threads at once: the restored engine, shared. */
    pthread_t threads[5];
    struct reader readers[5];
    for (int i = 0; i < 5; i++) {
        readers[i] = (struct reader){restored, buyer, today, 0, 0};
        CHECK(pthread_create(&threads[i], NULL, read_cover, &readers[i]) == 0);
    }
    for (int i = 0; i < 5; i++) {
        pthread_join(threads[i], NULL);
        CHECK(!readers[i].failed && readers[i].covered == 1000000);
    }
    printf("threads: 5 x 200 cover checks on one engine, all 10000.00 covered after the payment\n");
    CHECK(delcredere_engine_free(restored) == DELCREDERE_STATUS_OK);

    /* 6. Any op by name, JSON in and out. */
    must(delcredere_ops(&json, &len, &error), error, "ops");
    printf("ops: %.60s...\n", json);
    delcredere_string_free(json);
    char input[2048];
    snprintf(input, sizeof input, "{\"policy\": %s}", POLICY);
    must(delcredere_call("validate_policy", NUL, input, NUL, &json, &len, &error), error, "validate_policy");
    printf("validate_policy: %s\n", json);
    CHECK(strcmp(json, "{\"valid\":true,\"problems\":[]}") == 0);
    delcredere_string_free(json);

    /* 7. Every kind of error. */
    printf("errors (status, code, field, message):\n");
    delcredere_status status;
    /* The input refused: a typed error with its field path. */
    status = delcredere_call("check_delivery_cover", NUL, "{\"policy\": {}}", NUL, &json, &len, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "missing_field", "buyer");
    status = delcredere_call("no_such_op", NUL, "{}", NUL, &json, &len, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "unknown_op", "op");
    status = delcredere_call("validate_policy", NUL, "{\"policy\": ", NUL, &json, &len, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "invalid_json", NULL);
    status = delcredere_engine_new("{\"currency\": \"EUR\", \"insuranceYear\": {\"start\": \"1.1.2026\"}}", NUL,
                                   &restored, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "invalid_date", "policy.insuranceYear.start");
    status = delcredere_engine_new("{\"currency\": \"EURO\"}", NUL, &restored, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "invalid_policy", "policy");
    status = delcredere_engine_add_buyer(engine, "D-1001", NUL, "{\"legalName\": \"Other\", \"country\": \"DE\","
                                         " \"entityKind\": \"company\"}", NUL, NULL, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "duplicate_buyer", "id");
    status = delcredere_engine_apply(engine, "D-9999", NUL, EVENTS[0], NUL, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "unknown_buyer", "buyer");
    status = delcredere_engine_apply(engine, "D-1001", NUL,
                                     "{\"type\": \"creditNoteIssued\", \"id\": \"c1\", \"date\": \"2026-03-05\","
                                     " \"reference\": \"F-0000\", \"amount\": {\"amount\": \"10\", \"currency\": \"EUR\"}}",
                                     NUL, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "invalid_event", "event");
    status = delcredere_engine_apply_all(engine, "[{\"buyer\": \"D-1001\", \"event\": {\"type\": \"paymentReceived\"}}]",
                                         NUL, NULL, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "missing_field", "events[0].event.id");
    status = delcredere_engine_cover(engine, buyer + 1, 1000000, 2, today, 60, 0, 0, 0, today, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "unknown_buyer", "buyer");
    status = delcredere_engine_cover(engine, buyer, 0, 2, today, 60, 0, 0, 0, today, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "out_of_range", "delivery.amount.amount");
    status = delcredere_engine_cover(engine, buyer, 100, 40, today, 60, 0, 0, 0, today, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "out_of_range", "delivery.amount.amount");
    status = delcredere_engine_cover(engine, buyer, 100, 2, today, 60, 0, 9, 0, today, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "unknown_value", "delivery.kind");
    status = delcredere_engine_cover(engine, buyer, 100, 2, today, 60, 4, 0, 0, today, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "out_of_range", "flags");
    status = delcredere_engine_cover(engine, buyer, 100, 2, today, 60, 0, 0, 0, 0, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "date_order", "asOf");
    status = delcredere_engine_cover_text(engine, "D-1001", NUL, "1e4", NUL, "2026-03-02", NUL, 60, 0, 0, 0,
                                          "2026-03-02", NUL, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "invalid_amount", "delivery.amount.amount");
    status = delcredere_engine_cover_text(engine, "D-1001", NUL, "100", NUL, "02.03.2026", NUL, 60, 0, 0, 0,
                                          "2026-03-02", NUL, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "invalid_date", "delivery.date");
    status = delcredere_engine_obligations(engine, "2026-05-15", NUL, "es", NUL, &json, &len, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "unknown_language", "lang");
    status = delcredere_engine_restore("{\"formatVersion\": 2}", NUL, &restored, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "unsupported_snapshot", "formatVersion");
    status = delcredere_day_number("2026-02-30", NUL, &today, &error);
    expect_error(status, error, DELCREDERE_STATUS_INPUT_ERROR, "invalid_date", "date");

    /* The call itself wrong: NULL, not UTF-8, a length that counts the terminator. */
    status = delcredere_call(NULL, 0, "{}", NUL, &json, &len, &error);
    expect_error(status, error, DELCREDERE_STATUS_ARGUMENT_ERROR, "null_pointer", "op");
    status = delcredere_call("explain", NUL, "{}", NUL, NULL, &len, &error);
    expect_error(status, error, DELCREDERE_STATUS_ARGUMENT_ERROR, "null_pointer", "out_json");
    status = delcredere_engine_add_buyer(engine, "D-\xff", NUL, BUYER, NUL, NULL, &error);
    expect_error(status, error, DELCREDERE_STATUS_ARGUMENT_ERROR, "invalid_utf8", "key");
    status = delcredere_call("explain", sizeof "explain", "{}", NUL, &json, &len, &error);
    expect_error(status, error, DELCREDERE_STATUS_ARGUMENT_ERROR, "invalid_length", "op");
    uint64_t words[2] = {0, 0};
    size_t *misaligned = (size_t *)((char *)words + 1);
    status = delcredere_ops(&json, misaligned, &error);
    expect_error(status, error, DELCREDERE_STATUS_ARGUMENT_ERROR, "invalid_pointer", "out_len");
    /* Without a place for the error, the status alone tells. */
    CHECK(delcredere_call(NULL, 0, NULL, 0, &json, &len, NULL) == DELCREDERE_STATUS_ARGUMENT_ERROR);

    /* Handles: NULL, foreign (not made by the library), freed, freed twice. */
    status = delcredere_engine_cover(NULL, buyer, 100, 2, today, 60, 0, 0, 0, today, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_ARGUMENT_ERROR, "null_pointer", "engine");
    uint64_t not_an_engine[8] = {42};
    status = delcredere_engine_cover((const delcredere_engine *)not_an_engine, buyer, 100, 2, today, 60, 0, 0, 0,
                                     today, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_ARGUMENT_ERROR, "invalid_handle", "engine");
    CHECK(delcredere_engine_free((delcredere_engine *)not_an_engine) == DELCREDERE_STATUS_ARGUMENT_ERROR);
    CHECK(delcredere_engine_free(engine) == DELCREDERE_STATUS_OK);
    status = delcredere_engine_cover(engine, buyer, 100, 2, today, 60, 0, 0, 0, today, &cover, &error);
    expect_error(status, error, DELCREDERE_STATUS_ARGUMENT_ERROR, "invalid_handle", "engine");
    status = delcredere_engine_snapshot(engine, &json, &len, &error);
    expect_error(status, error, DELCREDERE_STATUS_ARGUMENT_ERROR, "invalid_handle", "engine");
    CHECK(delcredere_engine_free(engine) == DELCREDERE_STATUS_ARGUMENT_ERROR);
    CHECK(delcredere_engine_free(NULL) == DELCREDERE_STATUS_OK);
    delcredere_string_free(NULL);
    delcredere_error_free(NULL);

    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("erp.c: every answer as expected\n");
    return 0;
}
