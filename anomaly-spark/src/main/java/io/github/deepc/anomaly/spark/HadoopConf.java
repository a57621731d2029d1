package io.github.deepc.anomaly.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop settings (e.g. {@code spark.hadoop.fs.s3a.*}) carried to the executors, which need them to
 * open remote images; Hadoop's {@link Configuration} itself is not serializable.
 */
final class HadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, String> entries = new HashMap<>();
    private transient Configuration conf;

    HadoopConf(Configuration driverConf) {
        for (Map.Entry<String, String> e : driverConf) {
            entries.put(e.getKey(), e.getValue());
        }
    }

    /** @return the configuration, rebuilt once per deserialized copy */
    synchronized Configuration get() {
        if (conf == null) {
            Configuration c = new Configuration(false);
            entries.forEach(c::set);
            conf = c;
        }
        return conf;
    }
}
