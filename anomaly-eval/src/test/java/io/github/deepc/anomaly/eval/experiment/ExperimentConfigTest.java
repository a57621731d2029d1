package io.github.deepc.anomaly.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.detector.DetectorCatalogs;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.presets.Pipelines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentConfigTest {
    @TempDir
    Path tmp;

    private String error(String json) throws IOException {
        Path f = Files.writeString(tmp.resolve("bad.json"), json);
        IOException e = assertThrows(IOException.class, () -> ExperimentConfig.read(f));
        assertTrue(e.getMessage().contains("bad.json"), "the message names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void defaultsAreFilledIn() throws IOException {
        Path f = Files.writeString(tmp.resolve("mini.json"),
                "{\"data\": {\"path\": \"d\"}, \"models\": [{\"id\": \"cae\", \"params\": {\"epochs\": 2}}], \"scorers\": [{\"id\": \"masked-mse\"}]}");
        ExperimentConfig c = ExperimentConfig.read(f);
        assertEquals("mini", c.name());
        assertEquals("research", c.protocol().typeOrDefault());
        assertEquals(List.of(42L), c.seeds());
        assertEquals("2", c.models().get(0).params().get("epochs"), "numbers become parameter strings");
        assertEquals(8, c.heatmaps());
        assertEquals(tmp.resolve("d").toAbsolutePath().normalize(), c.data().resolve(tmp));
        assertEquals(DetectorDefaults.pipeline(64), ExperimentRunner.runs(c, tmp).get(0).stages());
        assertEquals(c, new com.fasterxml.jackson.databind.ObjectMapper().readValue(c.toJson(), ExperimentConfig.class));
    }

    @Test
    void mistakesNameTheFileAndTheField() throws IOException {
        assertTrue(error("{\"data\": {\"path\": \"d\", \"normalclass\": \"N\"}, \"models\": [{\"id\": \"cae\"}], \"scorers\": [{\"id\": \"m\"}]}")
                .contains("normalclass"));
        assertTrue(error("{\"models\": [{\"id\": \"cae\"}], \"scorers\": [{\"id\": \"m\"}]}").contains("'data' is required"));
        assertTrue(error("{\"data\": {\"path\": \"d\"}, \"models\": [], \"scorers\": [{\"id\": \"m\"}]}").contains("at least one"));
        assertTrue(error("{\"data\": {\"path\": \"d\"}, \"protocol\": {\"type\": \"kfold\"}, \"models\": [{\"id\": \"c\"}], \"scorers\": [{\"id\": \"m\"}]}")
                .contains("protocol.type"));
        assertTrue(error("{\"data\": {\"path\": \"d\"}, \"protocol\": {\"trainFraction\": 1.5}, \"models\": [{\"id\": \"c\"}], \"scorers\": [{\"id\": \"m\"}]}")
                .contains("protocol.trainFraction"));
        assertTrue(error("{\"data\": {\"path\": \"d\"}, \"protocol\": {\"type\": \"given-test\"}, \"models\": [{\"id\": \"c\"}], \"scorers\": [{\"id\": \"m\"}]}")
                .contains("protocol.test"));
        assertTrue(error("{\"data\": {\"path\": \"d\"}, \"models\": [{\"id\": \"c\"}, {\"id\": \"c\"}], \"scorers\": [{\"id\": \"m\"}]}")
                .contains("both called 'c'"));
        assertTrue(error("{\"data\": {\"path\": \"d\"}, \"seeds\": [1, 1], \"models\": [{\"id\": \"c\"}], \"scorers\": [{\"id\": \"m\"}]}")
                .contains("distinct"));
        assertTrue(error("{\"data\": {\"path\": \"d\"}, \"models\": [{\"params\": {}}], \"scorers\": [{\"id\": \"m\"}]}")
                .contains("models[0].id"));
        assertTrue(error("{\"data\": {\"path\": \"d\"} \"models\": []}").contains("not valid"));
        IOException missing = assertThrows(IOException.class, () -> ExperimentConfig.read(tmp.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("nope.json"));
    }

    @Test
    void unknownNamedPipelinesListTheKnownOnes() throws IOException {
        Path f = Files.writeString(tmp.resolve("p.json"),
                "{\"data\": {\"path\": \"d\"}, \"pipelines\": [{\"name\": \"fancy\"}], \"models\": [{\"id\": \"c\"}], \"scorers\": [{\"id\": \"m\"}]}");
        ExperimentConfig c = ExperimentConfig.read(f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentRunner.runs(c, tmp));
        assertTrue(e.getMessage().contains("fancy") && e.getMessage().contains("recommended, chest, hand, none")
                && e.getMessage().contains("NAME-SIZE"), e.getMessage());
        assertEquals(DetectorDefaults.pipeline(32), DetectorCatalogs.pipeline("default-32", 64));
        assertEquals(List.of(), DetectorCatalogs.pipeline("none", 64));
    }

    @Test
    void experimentsNameTheSamePipelinesAsTheCli() throws IOException {
        // one catalogue: chest and hand (once CLI-only) and recommended (once experiment-only) resolve everywhere
        for (String name : List.of("chest", "hand", "recommended")) {
            Path f = Files.writeString(tmp.resolve(name + ".json"), "{\"data\": {\"path\": \"d\"}, \"pipelines\": [{\"name\": \""
                    + name + "-32\"}], \"models\": [{\"id\": \"c\"}], \"scorers\": [{\"id\": \"m\"}]}");
            ExperimentConfig c = ExperimentConfig.read(f);
            assertEquals(Pipelines.named(name, 32), ExperimentRunner.runs(c, tmp).get(0).stages(), name);
        }
    }
}
