package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What Maven Central requires of every published POM (name, description, URL, licence, developers, SCM; inherited
 * from the parent where a module has one), and that the BOM lists every published module. Published = every module
 * of the reactor whose {@code maven.deploy.skip} is not true.
 */
class PomMetadataTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final XPath XP = XPathFactory.newInstance().newXPath();

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(pom.toFile());
    }

    private static String text(Document d, String path) throws Exception {
        return ((String) XP.evaluate(path, d, XPathConstants.STRING)).trim();
    }

    private static List<String> texts(Document d, String path) throws Exception {
        NodeList n = (NodeList) XP.evaluate(path, d, XPathConstants.NODESET);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) {
            out.add(n.item(i).getTextContent().trim());
        }
        return out;
    }

    /** The fields Central checks, on the POM itself or, for a module with our parent, on the parent. */
    private static void assertCentralMetadata(String module, Document pom, Document parent) throws Exception {
        assertFalse(text(pom, "/project/name").isEmpty(), module + ": <name>");
        assertFalse(text(pom, "/project/description").isEmpty(), module + ": <description>");
        for (String field : List.of("/project/url", "/project/licenses/license/name", "/project/licenses/license/url",
                "/project/developers/developer/name", "/project/scm/url", "/project/scm/connection")) {
            boolean own = !text(pom, field).isEmpty();
            boolean inherited = parent != null && !text(parent, field).isEmpty();
            assertTrue(own || inherited, module + ": " + field + " (own or from the parent)");
        }
    }

    @Test
    void everyPublishedPomHasCentralsMetadataAndTheBomListsEveryPublishedModule() throws Exception {
        Path rootPom = ROOT.resolve("pom.xml");
        assertTrue(Files.isRegularFile(rootPom), "run from a module folder of the reactor: " + rootPom);
        Document root = read(rootPom);
        String parentId = text(root, "/project/artifactId");
        assertCentralMetadata(parentId, root, null);

        Set<String> published = new TreeSet<>();
        Document bom = null;
        for (String module : texts(root, "/project/modules/module")) {
            Document pom = read(ROOT.resolve(module).resolve("pom.xml"));
            String id = text(pom, "/project/artifactId");
            if ("true".equals(text(pom, "/project/properties/maven.deploy.skip"))) {
                continue;
            }
            boolean ourParent = parentId.equals(text(pom, "/project/parent/artifactId"));
            assertCentralMetadata(id, pom, ourParent ? root : null);
            if ("pom".equals(text(pom, "/project/packaging")) && id.endsWith("-bom")) {
                bom = pom;
            } else {
                published.add(id);
            }
        }
        assertTrue(bom != null, "a published *-bom module");
        Set<String> listed = new TreeSet<>(texts(bom, "/project/dependencyManagement/dependencies/dependency/artifactId"));
        assertEquals(published, listed, "the BOM must list every published module, and only those");
    }
}
