# ftprep_plugin(<name> SOURCES <src>... [LIBS <lib>...] [MODULE_NAME <file>] [ALWAYS_MODULE] [ALWAYS_BUILTIN])
#
# Builds one format or rule plugin. With FTPREP_PLUGINS_AS_MODULES=OFF (the default) the sources are compiled
# into the ftprep binary and the plugin registers itself at start-up through the very same C descriptor a .so
# exports; with ON, or with ALWAYS_MODULE (out-of-tree style examples), it becomes lib<name>.so that
# `ftprep --plugin-path DIR` loads. A plugin only needs include/ftprep/plugin_api.h (C) or plugin.hpp (C++).
# MODULE_NAME sets the .so's file name (and so its entry symbol <file>_ftprep_plugin_v1) when two plugins of
# different kinds share a name (the openai_chat format dialect and the openai_chat rule set); the plugin's own
# name, in its descriptor, is unchanged. Targets are ftprep_<file>, so such names never clash in CMake either.
# ALWAYS_BUILTIN keeps a rule set compiled in even with FTPREP_PLUGINS_AS_MODULES=ON: a tool that needs more
# than the C ABI carries (prepare asks the completions rule set for its fix offers) cannot work without it.
function(ftprep_plugin name)
  cmake_parse_arguments(P "ALWAYS_MODULE;ALWAYS_BUILTIN" "MODULE_NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT P_MODULE_NAME)
    set(P_MODULE_NAME ${name})
  endif()
  set(t ftprep_${P_MODULE_NAME})
  set(srcs)
  foreach(s ${P_SOURCES})
    list(APPEND srcs ${CMAKE_CURRENT_SOURCE_DIR}/${s})
  endforeach()
  if((FTPREP_PLUGINS_AS_MODULES AND NOT P_ALWAYS_BUILTIN) OR P_ALWAYS_MODULE)
    add_library(${t} MODULE ${srcs})
    target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR}/include ${RAPIDJSON_INCLUDE_DIRS})
    target_compile_definitions(${t} PRIVATE RAPIDJSON_HAS_STDSTRING=1 FTPREP_PLUGIN_NAME=${P_MODULE_NAME})
    target_link_libraries(${t} PRIVATE ${P_LIBS})
    set_target_properties(${t} PROPERTIES PREFIX "" OUTPUT_NAME ${P_MODULE_NAME}
                          LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)
    if(NOT P_ALWAYS_MODULE)
      # In-tree plugins share the core's helpers (core/utf8.h, hashing, ...): as modules they resolve them
      # from the ftprep executable, which is linked with ENABLE_EXPORTS.
      target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR}/core)
      install(TARGETS ${t} LIBRARY DESTINATION lib/ftprep/plugins/1)
    endif()
  else()
    target_sources(ftprep_core PRIVATE ${srcs})
    set_source_files_properties(${srcs} TARGET_DIRECTORY ftprep_core PROPERTIES
                                COMPILE_DEFINITIONS "FTPREP_BUILTIN=1;FTPREP_PLUGIN_NAME=${name}")
    if(P_LIBS)
      target_link_libraries(ftprep_core PUBLIC ${P_LIBS})
    endif()
  endif()
endfunction()
