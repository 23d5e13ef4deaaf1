// Jena ARQ over a TriG file, as loaded by default: the default graph is the file's default graph
// (empty in report-graph.trig), NOT the union of its named graphs. Used by tests/jena.py.
//
//   java -cp CLASSPATH RunQueries.java DATA.trig OUT_DIR QUERY.rq...
//
// Loads DATA once, runs each query file and writes its results as SPARQL JSON to OUT_DIR/NAME.json
// (NAME: the query file's name without .rq).
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.riot.RDFDataMgr;

public class RunQueries {
    public static void main(String[] args) throws Exception {
        Dataset data = RDFDataMgr.loadDataset(args[0]);
        Path out = Path.of(args[1]);
        for (int i = 2; i < args.length; i++) {
            Path query = Path.of(args[i]);
            String name = query.getFileName().toString().replaceFirst("\\.rq$", "");
            try (QueryExecution qe = QueryExecutionFactory.create(QueryFactory.create(Files.readString(query)), data);
                 OutputStream os = new FileOutputStream(out.resolve(name + ".json").toFile())) {
                ResultSetFormatter.outputAsJSON(os, qe.execSelect());
            }
        }
    }
}
