package dev.tortie.shell.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;

/**
 * fabric8's mixed mock-server dispatcher (recorded expectations first, else the in-memory CRUD store) plus the two
 * things tortie's writer needs that the CRUD store lacks: server-side apply ({@code PATCH} with
 * {@code application/apply-patch+yaml}) and {@code dryRun=All}. For tests and the lab's embedded API server.
 *
 * <p>Server-side apply is emulated as create-or-merge: a missing object is created; an existing one gets the applied
 * fields merged in (maps merged recursively, lists and scalars replaced) and is stored with an update, or left
 * untouched (no event, same resource version) when nothing changes. Not emulated: field ownership, so neither
 * conflicts between field managers nor the removal of fields a manager stops applying. A dry-run request answers with
 * what the object would be and stores nothing.
 */
public final class ApplyingCrudDispatcher extends Dispatcher {
    private static final String APPLY_PATCH = "application/apply-patch";
    private static final String JSON = "application/json";

    private final Map<ServerRequest, Queue<ServerResponse>> responses;
    private final MockDispatcher expectations;
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** @param responses the server's expectation map (pass the same map to the KubernetesMockServer) */
    public ApplyingCrudDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
        this.responses = Objects.requireNonNull(responses, "responses == null");
        this.expectations = new MockDispatcher(responses);
    }

    /** The underlying CRUD store (e.g. to register custom resources). */
    public KubernetesCrudDispatcher crud() {
        return crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Queue<ServerResponse> expected =
                responses.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (expected != null && !expected.isEmpty()) {
            return expectations.dispatch(request);
        }
        String path = request.getPath();
        String method = request.getMethod();
        String contentType = request.getHeader("Content-Type");
        if (method.equals("PATCH") && contentType != null && contentType.startsWith(APPLY_PATCH)) {
            return apply(bare(path), request.getUtf8Body(), dryRun(path, null));
        }
        if (!method.equals("GET")) {
            String body = request.getUtf8Body();
            // A delete says dryRun in its DeleteOptions body; the other verbs in the query.
            if (dryRun(path, method.equals("DELETE") ? body : null)) {
                return switch (method) {
                    case "POST" -> dryCreate(bare(path), body);
                    case "PUT" -> new MockResponse().setResponseCode(200).setBody(body);
                    default -> current(bare(path));
                };
            }
            return crud.dispatch(new RecordedRequest(
                    request.getHttpVersion(),
                    request.method(),
                    path,
                    request.getHeaders(),
                    new Buffer().writeUtf8(body == null ? "" : body)));
        }
        return crud.dispatch(request);
    }

    @Override
    public void shutdown() {
        expectations.shutdown();
        crud.shutdown();
    }

    @Override
    public void releaseResources() {
        expectations.releaseResources();
        crud.releaseResources();
    }

    private synchronized MockResponse apply(String path, String body, boolean dryRun) {
        Map<String, Object> applied = parse(body);
        MockResponse existing = crud.handleGet(path);
        if (existing.code() == 404) {
            String collection = path.substring(0, path.lastIndexOf('/'));
            if (dryRun) {
                return dryCreate(collection, body);
            }
            return crud.handleCreate(request(HttpMethod.POST, collection, serialization.asJson(applied)));
        }
        if (existing.code() != 200) {
            return existing;
        }
        String currentJson = existing.getBody().readUtf8();
        Map<String, Object> current = parse(currentJson);
        Map<String, Object> merged = merge(current, applied);
        Object version = current.get("metadata") instanceof Map<?, ?> m ? m.get("resourceVersion") : null;
        if (merged.get("metadata") instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) m;
            meta.put("resourceVersion", version);
        }
        if (merged.equals(current) || dryRun) {
            return new MockResponse().setResponseCode(200).setBody(serialization.asJson(merged));
        }
        return crud.handleUpdate(request(HttpMethod.PUT, path, serialization.asJson(merged)));
    }

    private synchronized MockResponse dryCreate(String collection, String body) {
        Map<String, Object> object = parse(body);
        Object name = object.get("metadata") instanceof Map<?, ?> m ? m.get("name") : null;
        if (name != null && crud.handleGet(collection + "/" + name).code() == 200) {
            return new MockResponse()
                    .setResponseCode(409)
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":"
                            + "\"AlreadyExists\",\"code\":409,\"message\":\"" + name + " already exists\"}");
        }
        return new MockResponse().setResponseCode(201).setBody(serialization.asJson(object));
    }

    private boolean dryRun(String path, String deleteOptions) {
        if (query(path).contains("dryRun=All")) {
            return true;
        }
        if (deleteOptions == null || deleteOptions.isBlank()) {
            return false;
        }
        Object dryRun = parse(deleteOptions).get("dryRun");
        return dryRun instanceof List<?> list && list.contains("All");
    }

    private MockResponse current(String path) {
        return crud.handleGet(path);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(String body) {
        Object value = serialization.unmarshal(body, Map.class);
        return value instanceof Map<?, ?> ? new LinkedHashMap<>((Map<String, Object>) value) : new LinkedHashMap<>();
    }

    /** {@code base} with {@code patch}'s fields: maps merged recursively, anything else replaced. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> patch) {
        Map<String, Object> out = new LinkedHashMap<>();
        base.forEach((k, v) -> out.put(k, copy(v)));
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            Object old = out.get(e.getKey());
            if (old instanceof Map<?, ?> oldMap && e.getValue() instanceof Map<?, ?> newMap) {
                out.put(e.getKey(), merge((Map<String, Object>) oldMap, (Map<String, Object>) newMap));
            } else {
                out.put(e.getKey(), copy(e.getValue()));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            return merge((Map<String, Object>) map, Map.of());
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(copy(v)));
            return out;
        }
        return value;
    }

    private static RecordedRequest request(HttpMethod method, String path, String body) {
        return new RecordedRequest(
                "HTTP/1.1",
                method,
                path,
                Headers.builder().add("Content-Type", JSON).build(),
                new Buffer().writeUtf8(body));
    }

    private static String bare(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static String query(String path) {
        int q = path.indexOf('?');
        return q < 0 ? "" : path.substring(q + 1);
    }
}
