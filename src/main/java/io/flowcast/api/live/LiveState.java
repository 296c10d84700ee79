package io.flowcast.api.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent past the dashboard opens with: each agent's last positions, each entity's last scores, each agent's
 * latest forecast and the open alerts. Bounded by the settings and by {@code maxEntities} (the least recently
 * updated entity is forgotten first). Thread-safe by synchronization: one writer (the feed), rare readers (pages
 * connecting).
 */
final class LiveState {

    private final int pathLength;
    private final int scoresPerEntity;
    private final int maxEntities;
    private final Map<String, Deque<LiveMessage.Position>> paths = lru();
    private final Map<String, Deque<LiveMessage.Score>> scores = lru();
    private final Map<String, JsonNode> forecasts = lru();
    private final Map<String, JsonNode> openAlerts = new LinkedHashMap<>();

    LiveState(int pathLength, int scoresPerEntity, int maxEntities) {
        this.pathLength = pathLength;
        this.scoresPerEntity = scoresPerEntity;
        this.maxEntities = maxEntities;
    }

    synchronized void apply(LiveMessage batch) {
        for (LiveMessage.Position position : batch.positions()) {
            append(paths, position.stream() + '/' + position.entityId(), position, pathLength);
        }
        for (LiveMessage.Score score : batch.scores()) {
            append(scores, score.stream() + '/' + score.entityId(), score, scoresPerEntity);
        }
        for (JsonNode forecast : batch.forecasts()) {
            String entity = forecast.path("entityId").asText();
            JsonNode old = forecasts.remove(entity);
            // The newest by event time, as the page keeps it: a late forecast of an older position does not win.
            forecasts.put(entity, old == null || LiveRecords.isNewer(forecast, old) ? forecast : old);
            trim(forecasts);
        }
        for (JsonNode alert : batch.alerts()) {
            String id = alert.path("alertId").asText();
            if ("OPEN".equals(alert.path("state").asText())) {
                openAlerts.put(id, alert);
            } else {
                openAlerts.remove(id);
            }
        }
        while (openAlerts.size() > maxEntities) {
            openAlerts.remove(openAlerts.keySet().iterator().next());
        }
    }

    synchronized LiveMessage snapshot() {
        List<LiveMessage.Position> allPositions = new ArrayList<>();
        paths.values().forEach(allPositions::addAll);
        List<LiveMessage.Score> allScores = new ArrayList<>();
        scores.values().forEach(allScores::addAll);
        return new LiveMessage(LiveMessage.SNAPSHOT, allPositions, allScores, new ArrayList<>(forecasts.values()),
                new ArrayList<>(openAlerts.values()));
    }

    private <T> void append(Map<String, Deque<T>> byEntity, String key, T item, int capacity) {
        Deque<T> items = byEntity.remove(key);
        if (items == null) {
            items = new ArrayDeque<>();
        }
        items.addLast(item);
        while (items.size() > capacity) {
            items.removeFirst();
        }
        byEntity.put(key, items); // re-inserted: the most recently updated entity is last
        trim(byEntity);
    }

    private void trim(Map<String, ?> byEntity) {
        while (byEntity.size() > maxEntities) {
            byEntity.remove(byEntity.keySet().iterator().next());
        }
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>();
    }
}
