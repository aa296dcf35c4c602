package ocop.search;

import java.io.IOException;
import java.io.StringReader;
import java.text.ParseException;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.ListSetting;

/**
 * Elasticsearch's "synonym_graph" token filter for the integ-test distribution CI runs, which
 * leaves out the analysis-common module that defines it in a full distribution (and no Maven
 * artifact carries that module). The filter is Lucene's own SynonymGraphFilter with the rules
 * parsed in Solr format, as analysis-common does for inline "synonyms" with its defaults
 * (expand: true, lenient: false, case kept), over a whitespace tokenizer: the only chain the
 * project builds (marketplace/search/backends/engine.py). Never install it on a full
 * distribution: the name would clash with the real filter.
 */
@NamedComponent("synonym_graph")
public class SynonymGraphFactory implements TokenFilterFactory {

    @AnalysisSettings
    public interface Settings {
        @ListSetting(path = "synonyms")
        List<String> synonyms();
    }

    private final SynonymMap map;

    @Inject
    public SynonymGraphFactory(Settings settings) {
        try (Analyzer rules = new WhitespaceAnalyzer()) {
            SolrSynonymParser parser = new SolrSynonymParser(true, true, rules);
            parser.parse(new StringReader(String.join("\n", settings.synonyms())));
            map = parser.build();
        } catch (IOException | ParseException e) {
            throw new IllegalArgumentException("synonym_graph: " + e.getMessage(), e);
        }
    }

    @Override
    public TokenStream create(TokenStream input) {
        return map.fst == null ? input : new SynonymGraphFilter(input, map, false);
    }
}
