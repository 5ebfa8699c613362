package dev.lightd.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The filename of a multipart part as browsers write it, and the download header. */
class ContentDispositionTest {

    @Test
    void aBrowsersFilenameIsTakenAsWritten() {
        assertThat(ContentDisposition.fileName("form-data; name=\"files\"; filename=\"plugin.jar\"")).isEqualTo("plugin.jar");
        assertThat(ContentDisposition.fileName("form-data; name=\"files\"; filename=\"my world.zip\"")).isEqualTo("my world.zip");
        assertThat(ContentDisposition.fileName("form-data; name=\"a;filename=evil\"; filename=\"real.txt\""))
                .isEqualTo("real.txt");
        assertThat(ContentDisposition.fileName("form-data; name=\"files\"; filename=\"..\\x\"")).isEqualTo("..\\x");
        assertThat(ContentDisposition.fileName("form-data; name=files; filename=bare.txt")).isEqualTo("bare.txt");
        assertThat(ContentDisposition.fileName("form-data; name=\"files\"; filename=\"\"")).isEmpty();
    }

    @Test
    void theExtendedFormWinsAndAFieldHasNoName() {
        assertThat(ContentDisposition.fileName(
                "form-data; name=\"files\"; filename=\"x.txt\"; filename*=UTF-8''%C3%BCber.txt")).isEqualTo("über.txt");
        assertThat(ContentDisposition.fileName("form-data; name=\"comment\"")).isNull();
        assertThat(ContentDisposition.fileName(null)).isNull();
    }

    @Test
    void aDownloadNamesTheFileAsEncodeURIComponentWould() {
        assertThat(ContentDisposition.attachment("plugin.jar")).isEqualTo("attachment; filename=\"plugin.jar\"");
        assertThat(ContentDisposition.attachment("my \"world\";\r\n(1)!*~'.zip"))
                .isEqualTo("attachment; filename=\"my%20%22world%22%3B%0D%0A(1)!*~'.zip\"");
        assertThat(ContentDisposition.attachment("über.txt")).isEqualTo("attachment; filename=\"%C3%BCber.txt\"");
    }
}
