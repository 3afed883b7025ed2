package io.wingu.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DesiredSubsetTest {

  private static final ObjectMapper M = new ObjectMapper();

  private static JsonNode j(String json) throws Exception {
    return M.readTree(json.replace('\'', '"'));
  }

  @Test
  void liveObjectsMayCarryMoreThanWeSet() throws Exception {
    assertThat(
            DesiredSubset.holds(
                j(
                    "{'metadata':{'name':'a','labels':{'x':'1'}},'spec':{'replicas':1,'p':[{'n':'http'}]}}"),
                j(
                    "{'metadata':{'name':'a','uid':'u','labels':{'x':'1','y':'2'}},'spec':{'replicas':1,'p':[{'n':'http','protocol':'TCP'}]},"
                        + "'status':{'ready':0}}")))
        .isTrue();
  }

  @Test
  void anEditedValueARemovedElementOrAMissingObjectIsDrift() throws Exception {
    JsonNode desired =
        j("{'metadata':{'name':'a'},'spec':{'replicas':1,'p':[{'n':'a'},{'n':'b'}]}}");
    assertThat(
            DesiredSubset.holds(
                desired,
                j("{'metadata':{'name':'a'},'spec':{'replicas':2,'p':[{'n':'a'},{'n':'b'}]}}")))
        .isFalse();
    assertThat(
            DesiredSubset.holds(
                desired, j("{'metadata':{'name':'a'},'spec':{'replicas':1,'p':[{'n':'a'}]}}")))
        .isFalse();
    assertThat(DesiredSubset.holds(desired, null)).isFalse();
  }
}
